package dev.aiusage.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Numbers as a person reads them in a report: dollars with cents, thousands separators, percentages. */
public final class Formats {
    private static final DecimalFormatSymbols US = DecimalFormatSymbols.getInstance(Locale.US);

    private Formats() {
    }

    /** {@code $1,234.57}; amounts under a cent keep two significant digits ({@code $0.0042}) rather than read as zero. */
    public static String usd(double amount) {
        double abs = Math.abs(amount);
        String sign = amount < 0 ? "-" : "";
        if (abs == 0 || abs >= 0.01) {
            return sign + "$" + new DecimalFormat("#,##0.00", US).format(abs);
        }
        BigDecimal small = new BigDecimal(abs).round(new MathContext(2));
        return sign + "$" + small.stripTrailingZeros().toPlainString();
    }

    /**
     * A price per call, where cents are too coarse: three significant digits under a dollar
     * ({@code $0.0168}, {@code $0.00029}), {@link #usd} above.
     */
    public static String unitUsd(double amount) {
        double abs = Math.abs(amount);
        if (abs == 0 || abs >= 1) {
            return usd(amount);
        }
        return (amount < 0 ? "-" : "") + "$" + new BigDecimal(abs).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** Always two decimals, as in a bill: {@code $1,234.57}, {@code $0.00}. */
    public static String cents(double amount) {
        return (amount < 0 ? "-" : "") + "$" + new DecimalFormat("#,##0.00", US).format(Math.abs(amount));
    }

    /** The change from {@code before} to {@code now} with one decimal ({@code +12.5%}, {@code -100.0%}); null when before is 0. */
    public static String change(double now, double before) {
        if (before == 0) {
            return null;
        }
        return new DecimalFormat("+0.0%;-0.0%", US).format((now - before) / before);
    }

    /** {@code 58 days}, {@code 1.5 days}, {@code 1 day}. */
    public static String days(double days) {
        String n = new DecimalFormat("#,##0.#", US).format(days);
        return n + (n.equals("1") ? " day" : " days");
    }

    /** A number as data files want it: plain digits, no exponent, no trailing zeros ({@code 0.0001}, {@code 15.63}). */
    public static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** {@code 12,345}. */
    public static String count(long n) {
        return new DecimalFormat("#,##0", US).format(n);
    }

    /** {@code 1 request}, {@code 12,345 requests}. */
    public static String count(long n, String noun) {
        return count(n) + " " + noun + (n == 1 ? "" : "s");
    }

    /** {@code 92%} for 0.92; {@code n/a} for null. */
    public static String percent(Double share) {
        return share == null ? "n/a" : new DecimalFormat("0%", US).format(share);
    }

    /** A 0..1 score with two decimals ({@code 0.87}); {@code n/a} for null. */
    public static String score(Double score) {
        return score == null ? "n/a" : new DecimalFormat("0.00", US).format(score);
    }

    /** A signed difference with two decimals ({@code +0.02}, {@code -0.01}). */
    public static String signed(double value) {
        // what rounds to zero reads +0.00, never -0.00
        double shown = Math.abs(value) < 0.005 ? 0.0 : value;
        return new DecimalFormat("+0.00;-0.00", US).format(shown);
    }

    /** A signed difference with three decimals ({@code +0.004}, {@code -0.021}), for the bounds of an interval. */
    public static String signedFine(double value) {
        double shown = Math.abs(value) < 0.0005 ? 0.0 : value;
        return new DecimalFormat("+0.000;-0.000", US).format(shown);
    }

    /** A ratio with one decimal ({@code 12.5×}). */
    public static String ratio(double value) {
        return new DecimalFormat("#,##0.0", US).format(value) + "×";
    }

    /** A p-value with two significant digits ({@code 0.031}, {@code 0.00012}); {@code <0.0001} below that. */
    public static String pValue(double p) {
        if (p < 0.0001) {
            return "<0.0001";
        }
        return BigDecimal.valueOf(p).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
    }
}
