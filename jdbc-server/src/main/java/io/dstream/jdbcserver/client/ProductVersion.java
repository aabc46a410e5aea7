package io.dstream.jdbcserver.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The product name and version, as both the JDBC driver and the server report them. The version
 * is the project's, from {@code version.properties} next to this class (filled in by the Maven
 * build); {@value #UNKNOWN_VERSION} if that resource is missing or was not filtered.
 */
public final class ProductVersion {
  public static final String PRODUCT_NAME = "DStream SQL";
  public static final String UNKNOWN_VERSION = "0.1.0-unknown";
  private static final String RESOURCE = "version.properties";
  private static final String VERSION = load();

  private ProductVersion() {}

  /** The project version, for example "0.1.0-SNAPSHOT". */
  public static String version() {
    return VERSION;
  }

  /** The first number of the version (0 for "0.1.0"). */
  public static int major() {
    return part(0);
  }

  /** The second number of the version (1 for "0.1.0"). */
  public static int minor() {
    return part(1);
  }

  private static int part(int index) {
    String[] parts = VERSION.split("[.-]");
    try {
      return index < parts.length ? Integer.parseInt(parts[index]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String load() {
    try (InputStream in = ProductVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return UNKNOWN_VERSION;
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "").trim();
      return version.isEmpty() || version.startsWith("${") ? UNKNOWN_VERSION : version;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
