package dev.llmcls.core;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * Names compared with their digit runs as numbers: {@code train-2.parquet} before {@code
 * train-10.parquet}, and {@code 0000} ... {@code 0010} as plain text would also have them. The
 * order in which a split's numbered files are read.
 */
public final class NaturalOrder implements Comparator<String> {
    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {}

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (isDigit(x) && isDigit(y)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                int order =
                        new BigInteger(a.substring(i, endA))
                                .compareTo(new BigInteger(b.substring(j, endB)));
                if (order != 0) {
                    return order;
                }
                i = endA;
                j = endB;
            } else if (x != y) {
                return Character.compare(x, y);
            } else {
                i++;
                j++;
            }
        }
        int order = Integer.compare(a.length() - i, b.length() - j);
        return order != 0 ? order : a.compareTo(b);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }
}
