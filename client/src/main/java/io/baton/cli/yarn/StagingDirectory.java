package io.baton.cli.yarn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.baton.common.config.ConfigurationLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.util.ConverterUtils;

/**
 * {@code .baton/<appId>/} in the user's home directory on the cluster's default file system: the
 * distribution's {@code lib/}, {@code conf/} (with the session's configuration as {@code
 * baton-conf.yaml}) and the client's Hadoop configuration ({@code hadoop-conf/}), readable by the
 * application's user only.
 */
final class StagingDirectory {
  static final String LIB = "lib";
  static final String CONF = "conf";
  static final String HADOOP_CONF = "hadoop-conf";
  private static final FsPermission PRIVATE_DIR = new FsPermission((short) 0700);

  private final FileSystem fs;
  private final org.apache.hadoop.fs.Path dir;

  private StagingDirectory(FileSystem fs, org.apache.hadoop.fs.Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  /** The staging directory of application {@code appId}, not created yet. */
  static StagingDirectory of(Configuration hadoopConf, String appId) throws IOException {
    FileSystem fs = FileSystem.get(hadoopConf);
    return new StagingDirectory(
        fs,
        fs.makeQualified(new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ".baton/" + appId)));
  }

  String path() {
    return dir.toString();
  }

  /** Uploads what the ApplicationMaster and its TaskManagers run from. */
  void upload(Path libDir, Path confDir, Map<String, String> batonConf, Configuration hadoopConf)
      throws IOException {
    fs.mkdirs(dir, PRIVATE_DIR);
    fs.setPermission(dir, PRIVATE_DIR);
    fs.copyFromLocalFile(false, true, hadoopPath(libDir), new org.apache.hadoop.fs.Path(dir, LIB));
    org.apache.hadoop.fs.Path conf = new org.apache.hadoop.fs.Path(dir, CONF);
    fs.mkdirs(conf);
    for (Path file : regularFiles(confDir)) {
      if (!file.getFileName().toString().equals(ConfigurationLoader.FILE_NAME)) {
        fs.copyFromLocalFile(
            false,
            true,
            hadoopPath(file),
            new org.apache.hadoop.fs.Path(conf, file.getFileName().toString()));
      }
    }
    try (OutputStream out =
        fs.create(new org.apache.hadoop.fs.Path(conf, ConfigurationLoader.FILE_NAME), true)) {
      new ObjectMapper(new YAMLFactory()).writeValue(out, batonConf);
    }
    org.apache.hadoop.fs.Path hadoop = new org.apache.hadoop.fs.Path(dir, HADOOP_CONF);
    fs.mkdirs(hadoop);
    // every property the client resolved, as each site file: yarn-default.xml and hdfs-default.xml
    // load after core-site.xml and would hide its YARN and HDFS values (the ResourceManager's
    // addresses), so containers reach the same cluster without a Hadoop installation of their own
    for (String site : List.of("core-site.xml", "hdfs-site.xml", "yarn-site.xml")) {
      try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(hadoop, site), true)) {
        hadoopConf.writeXml(out);
      }
    }
  }

  /** Uploads one more file, such as an application's job jar, as {@code name}. */
  void uploadFile(Path file, String name) throws IOException {
    fs.copyFromLocalFile(false, true, hadoopPath(file), new org.apache.hadoop.fs.Path(dir, name));
  }

  /** One uploaded directory as a resource YARN copies whole into a container. */
  LocalResource resource(String name) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir, name);
    FileStatus status = fs.getFileStatus(path);
    return LocalResource.newInstance(
        ConverterUtils.getYarnUrlFromPath(path),
        LocalResourceType.FILE,
        LocalResourceVisibility.APPLICATION,
        status.getLen(),
        status.getModificationTime());
  }

  boolean exists() throws IOException {
    return fs.exists(dir);
  }

  void delete() throws IOException {
    fs.delete(dir, true);
  }

  private static org.apache.hadoop.fs.Path hadoopPath(Path local) {
    return new org.apache.hadoop.fs.Path(local.toAbsolutePath().toUri());
  }

  private static List<Path> regularFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
