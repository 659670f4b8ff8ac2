package dev.otpgate.admin;

/**
 * A CSV cell as a spreadsheet may open it: one that starts with = + - @ TAB or CR is a formula there (OWASP,
 * "CSV Injection"), so the export writes it after a ' (which the spreadsheet shows as text and does not
 * print), and the import takes that ' off again. A value that itself starts with ' and one of those (or a
 * second ') gets one more, so that every value comes back as it was. A number is a cell too: +14155550142
 * is exported as '+14155550142.
 */
final class CsvCells {

    private static final String FORMULA_STARTS = "=+-@\t\r";

    private CsvCells() {
    }

    static String neutral(String value) {
        return startsFormula(value, 0) || value.startsWith("'") && (startsFormula(value, 1) || value.startsWith("'", 1))
                ? "'" + value : value;
    }

    static String restored(String cell) {
        return cell.startsWith("'") && (startsFormula(cell, 1) || cell.startsWith("'", 1)) ? cell.substring(1) : cell;
    }

    private static boolean startsFormula(String value, int at) {
        return value.length() > at && FORMULA_STARTS.indexOf(value.charAt(at)) >= 0;
    }
}
