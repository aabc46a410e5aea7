package io.dstream.executor.stateful;

/** A stable merge sort of row indices by a primitive comparator: no boxing. */
final class IndexSort {
  /** Compares two row indices. */
  interface Comparator {
    int compare(int a, int b);
  }

  private IndexSort() {}

  /** Sorts {@code rows} in place, stably. */
  static void sort(int[] rows, Comparator comparator) {
    if (rows.length < 2) {
      return;
    }
    int[] buffer = new int[rows.length];
    mergeSort(rows, buffer, 0, rows.length, comparator);
  }

  private static void mergeSort(int[] rows, int[] buffer, int from, int to, Comparator c) {
    if (to - from <= 16) {
      for (int i = from + 1; i < to; i++) {
        int v = rows[i];
        int j = i - 1;
        while (j >= from && c.compare(rows[j], v) > 0) {
          rows[j + 1] = rows[j];
          j--;
        }
        rows[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(rows, buffer, from, mid, c);
    mergeSort(rows, buffer, mid, to, c);
    if (c.compare(rows[mid - 1], rows[mid]) <= 0) {
      return;
    }
    System.arraycopy(rows, from, buffer, from, to - from);
    int i = from;
    int j = mid;
    int k = from;
    while (i < mid && j < to) {
      rows[k++] = c.compare(buffer[j], buffer[i]) < 0 ? buffer[j++] : buffer[i++];
    }
    while (i < mid) {
      rows[k++] = buffer[i++];
    }
    while (j < to) {
      rows[k++] = buffer[j++];
    }
  }
}
