package dev.aiusage.domain;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's error table lists every code of {@link ErrorCode} with its HTTP status, and no other. */
class ErrorCodeDocsTest {
    private static final Pattern ROW = Pattern.compile("^\\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \\| (\\d{3}) \\|");

    @Test
    void theReadmeTableIsTheEnum() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("## Errors");
        Map<String, Integer> documented = new HashMap<>();
        for (String line : lines.subList(start, lines.size())) {
            if (line.startsWith("## ") && !line.equals("## Errors")) {
                break;
            }
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                for (String code : m.group(1).replace("`", "").split(", ")) {
                    documented.put(code, Integer.parseInt(m.group(2)));
                }
            }
        }
        Map<String, Integer> codes = new HashMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            codes.put(code.name(), code.status());
        }
        assertEquals(codes, documented);
    }
}
