package io.baton.it;

import java.util.List;

/**
 * A straight line fitted by least squares through measured points, {@code y = intercept + slope *
 * x}: how a figure (a JobManager's CPU or heap) grows with a count (of TaskManagers). With two
 * points it is the line through both.
 */
record GrowthFit(double intercept, double slope, int points) {

  /** A point measured: the count and the figure at it. */
  record Point(double x, double y) {}

  /** The fit through {@code points}; at least two of them with different counts. */
  static GrowthFit of(List<Point> points) {
    if (points.size() < 2) {
      throw new IllegalArgumentException("a growth needs two points, got " + points.size());
    }
    double meanX = points.stream().mapToDouble(Point::x).average().orElseThrow();
    double meanY = points.stream().mapToDouble(Point::y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (Point p : points) {
      sxy += (p.x() - meanX) * (p.y() - meanY);
      sxx += (p.x() - meanX) * (p.x() - meanX);
    }
    if (sxx == 0) {
      throw new IllegalArgumentException("a growth needs two different counts");
    }
    double slope = sxy / sxx;
    return new GrowthFit(meanY - slope * meanX, slope, points.size());
  }

  /** The fitted figure at count {@code x}. */
  double at(double x) {
    return intercept + slope * x;
  }
}
