package io.dstream.jdbcserver.meta;

import java.util.regex.Pattern;

/**
 * The name patterns of DatabaseMetaData: SQL LIKE with {@code %}, {@code _} and the escape
 * {@code \} (what {@code getSearchStringEscape} reports), matched ignoring case as unquoted
 * identifiers are. Used by the server's listings and by {@code DStreamDriver}'s client-side
 * answers, so that both match names the same way.
 */
public final class NamePatterns {
  private NamePatterns() {}

  /** Whether {@code value} matches {@code pattern}; a null pattern matches all. */
  public static boolean like(String pattern, String value) {
    if (pattern == null) {
      return true;
    }
    return toRegex(pattern).matcher(value).matches();
  }

  /** {@code name} as a pattern that matches only itself (ignoring case). */
  public static String exact(String name) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%' || c == '_' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  private static Pattern toRegex(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
  }
}
