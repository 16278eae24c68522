package com.bridgeai.infra.stacks;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified line diff (as {@code diff -u} prints it) for snapshot failures: no diff library
 * on the classpath, and golden files are a few hundred lines, so an LCS table is cheap enough.
 */
final class UnifiedDiff {
    static final int CONTEXT = 3;

    private UnifiedDiff() {}

    private record Edit(char op, String line, int oldLine, int newLine) {}

    /** Empty when equal; otherwise a {@code ---}/{@code +++} header and {@code @@} hunks. */
    static String diff(String oldName, List<String> a, String newName, List<String> b) {
        List<Edit> edits = edits(a, b);
        if (edits.stream().allMatch(e -> e.op() == ' ')) {
            return "";
        }
        StringBuilder out = new StringBuilder("--- ").append(oldName).append("\n+++ ").append(newName).append('\n');
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).op() == ' ') {
                i++;
                continue;
            }
            // a hunk: from CONTEXT lines before this change to CONTEXT lines after the last change
            // that is at most 2*CONTEXT unchanged lines away
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int lastChange = i;
            while (end < edits.size() && end - lastChange <= 2 * CONTEXT) {
                if (edits.get(end).op() != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + CONTEXT + 1);
            List<Edit> hunk = edits.subList(start, end);
            int oldStart = hunk.get(0).oldLine();
            int newStart = hunk.get(0).newLine();
            long oldCount = hunk.stream().filter(e -> e.op() != '+').count();
            long newCount = hunk.stream().filter(e -> e.op() != '-').count();
            out.append("@@ -").append(oldCount == 0 ? oldStart - 1 : oldStart).append(',').append(oldCount)
                    .append(" +").append(newCount == 0 ? newStart - 1 : newStart).append(',').append(newCount)
                    .append(" @@\n");
            hunk.forEach(e -> out.append(e.op()).append(e.line()).append('\n'));
            i = end;
        }
        return out.toString();
    }

    /** Longest common subsequence, walked front to back into keep/delete/insert edits. */
    private static List<Edit> edits(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int x = n - 1; x >= 0; x--) {
            for (int y = m - 1; y >= 0; y--) {
                lcs[x][y] = a.get(x).equals(b.get(y)) ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        int x = 0;
        int y = 0;
        while (x < n || y < m) {
            if (x < n && y < m && a.get(x).equals(b.get(y))) {
                edits.add(new Edit(' ', a.get(x), x + 1, y + 1));
                x++;
                y++;
            } else if (x < n && (y == m || lcs[x + 1][y] >= lcs[x][y + 1])) {
                edits.add(new Edit('-', a.get(x), x + 1, y + 1)); // deletions first, as diff -u prints them
                x++;
            } else {
                edits.add(new Edit('+', b.get(y), x + 1, y + 1));
                y++;
            }
        }
        return edits;
    }
}
