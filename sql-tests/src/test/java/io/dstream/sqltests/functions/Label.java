package io.dstream.sqltests.functions;

/** label(text) and label(text, n): instance methods, overloaded; a NULL text gives NULL. */
public final class Label {
  private final String prefix = "#";

  public String eval(String text) {
    return text == null ? null : prefix + text.toLowerCase();
  }

  public String eval(String text, long n) {
    return text == null ? null : prefix + text.toLowerCase() + "-" + n;
  }
}
