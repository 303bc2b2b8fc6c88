package io.baton.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its {@code chromedriver}, as the browser tests use it:
 * opens pages, waits for what they show (never a fixed sleep) and keeps screenshots under {@code
 * target/screenshots/}.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final Duration patience;

  private HeadlessChromium(ChromeDriver driver, Duration patience) {
    this.driver = driver;
    this.patience = patience;
  }

  /**
   * Starts Chromium; fails with one line saying what to install when Debian's packages are missing.
   *
   * @param patience how long each wait for a page's content lasts
   */
  static HeadlessChromium start(Duration patience) {
    for (Path needed : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(needed)) {
        throw new AssertionError(
            needed
                + " is missing: the browser tests need Debian's chromium and chromium-driver"
                + " (apt-get install -y chromium chromium-driver)");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: the tests may run as root, where Chromium's sandbox refuses to start
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new HeadlessChromium(new ChromeDriver(service, options), patience);
  }

  void open(String url) {
    driver.get(url);
  }

  /** Waits until the page's visible text holds every one of {@code texts}; returns that text. */
  String awaitText(String what, String... texts) {
    String[] seen = {""};
    try {
      new WebDriverWait(driver, patience)
          .until(
              d -> {
                seen[0] = d.findElement(By.tagName("body")).getText();
                for (String t : texts) {
                  if (!seen[0].contains(t)) {
                    return false;
                  }
                }
                return true;
              });
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          what
              + ": the page at "
              + driver.getCurrentUrl()
              + " did not show "
              + List.of(texts)
              + " within "
              + patience
              + "; it showed:\n"
              + seen[0],
          e);
    }
    return seen[0];
  }

  /** Waits for an element that is displayed, and returns it. */
  WebElement await(String what, By by) {
    try {
      return new WebDriverWait(driver, patience)
          .until(
              d ->
                  d.findElements(by).stream()
                      .filter(WebElement::isDisplayed)
                      .findFirst()
                      .orElse(null));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          what + ": no " + by + " on " + driver.getCurrentUrl() + " within " + patience, e);
    }
  }

  /**
   * Clicks {@code element} as a user would, even while one of the dashboard's notifications lies
   * over it (they slide in whenever a call fails, and fade out by themselves).
   */
  void click(WebElement element) {
    driver.executeScript("arguments[0].click()", element);
  }

  List<WebElement> findAll(By by) {
    return driver.findElements(by);
  }

  /** Evaluates {@code script} in the page. */
  Object script(String script) {
    return driver.executeScript(script);
  }

  /** Keeps what the browser shows as {@code target/screenshots/<name>.png}. */
  Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path shot = SCREENSHOTS.resolve(name + ".png");
    Path taken = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(taken, shot, StandardCopyOption.REPLACE_EXISTING);
    return shot;
  }

  /** As {@link TakesScreenshot}: for a look after a failure, never fails itself. */
  void screenshotQuietly(String name) {
    try {
      screenshot(name);
    } catch (IOException | RuntimeException e) {
      // the failure being reported matters more than its picture
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
