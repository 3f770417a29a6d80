package dev.aiusage.intake.bulk;

import io.micronaut.context.ApplicationContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code java -jar ai-usage-analytics.jar import FILE [--format jsonl|csv] [--team T] [--task-type X] [--provider P]}:
 * imports a file into the database the service's configuration names, without starting the HTTP server. Progress
 * goes to standard error every two seconds, the summary (JSON, as {@code POST /import} answers) to standard output.
 * Exits 0 when the file was read to its end (rejected lines are in the summary), 1 when the import stopped, 2 on a
 * usage error. The embedded H2 file can be open in one process only: while the service runs on it, post the file to
 * its {@code /import} instead; on PostgreSQL the command runs beside the services.
 */
public final class ImportCommand {
    /** The environment the command's context runs in: no weekly report or tickets are sent from it. */
    public static final String ENVIRONMENT = "import";
    private static final String USAGE = "usage: java -jar ai-usage-analytics.jar import FILE [--format jsonl|csv] [--team T] [--task-type X] [--provider P]";

    private ImportCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        String format = null;
        String team = null;
        String taskType = null;
        String provider = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--format" -> format = args[++i];
                    case "--team" -> team = args[++i];
                    case "--task-type" -> taskType = args[++i];
                    case "--provider" -> provider = args[++i];
                    default -> {
                        if (args[i].startsWith("--") || file != null) {
                            err.println(USAGE);
                            return 2;
                        }
                        file = Path.of(args[i]);
                    }
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            err.println(USAGE);
            return 2;
        }
        if (file == null) {
            err.println(USAGE);
            return 2;
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            err.println("import: cannot read " + file);
            return 2;
        }
        BulkImporter.Format chosen = BulkImporter.Format.of(format != null ? format : file.getFileName().toString());
        if (chosen == null) {
            err.println("import: say --format jsonl or --format csv (the file's name does not end in .jsonl, .ndjson or .csv)");
            return 2;
        }
        ApplicationContext context;
        try {
            context = ApplicationContext.builder().environments(ENVIRONMENT).deduceEnvironment(false).start();
        } catch (RuntimeException e) {
            err.println("import: the database could not be opened (if the service is running on this H2 file, post the file to its /import "
                    + "instead): " + rootMessage(e));
            return 1;
        }
        try (context; InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            BulkImporter importer = context.getBean(BulkImporter.class);
            long[] lastPrinted = {0};
            ImportProgress summary = importer.run(in, new BulkImporter.Options(file.getFileName().toString(), chosen, team, taskType, provider, size),
                    progress -> {
                        long now = System.nanoTime();
                        if (now - lastPrinted[0] > 2_000_000_000L && progress.state().equals("RUNNING")) {
                            lastPrinted[0] = now;
                            err.println(String.format(Locale.ROOT, "import: %,d lines (%d%%), %,d stored, %,d duplicates, %,d rejected, %,.0f records/s",
                                    progress.lines(), size == 0 ? 100 : progress.bytesRead() * 100 / size, progress.accepted(), progress.duplicates(),
                                    progress.rejected(), progress.recordsPerSecond()));
                        }
                    });
            out.println(context.getBean(io.micronaut.json.JsonMapper.class).writeValueAsString(summary));
            err.println(String.format(Locale.ROOT, "import: %s: %,d lines, %,d stored, %,d duplicates, %,d rejected%s", summary.state(), summary.lines(),
                    summary.accepted(), summary.duplicates(), summary.rejected(), summary.message() == null ? "" : ": " + summary.message()));
            return summary.state().equals("DONE") ? 0 : 1;
        } catch (IOException e) {
            err.println("import: " + e.getMessage());
            return 1;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int end = message.indexOf('[');
        return (end > 0 ? message.substring(0, end) : message).strip();
    }
}
