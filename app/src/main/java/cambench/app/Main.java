package cambench.app;

import cambench.api.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code cambench} command line. User mistakes ({@link UserException}) print one line and
 * exit 2; bugs print a stack trace and exit 1.
 */
@Command(name = "cambench", mixinStandardHelpOptions = true, version = "cambench 0.1.0",
        header = "Reproduce CAM-loss / CCM / CAT-KD results with confidence intervals.",
        description = "Run `cambench COMMAND --help` for a command's options.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:internal error (a bug: stack trace printed)",
            "2:user error (bad option, file or value: one line)"},
        subcommands = {ReproduceCommand.class, ReportCommand.class, StatusCommand.class, SlurmCommand.class,
            CheckCommand.class, LossCheckCommand.class, ListCommand.class, TrainCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with cambench's error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            UserException user = userCause(ex);
            if (user != null) {
                PrintWriter err = commandLine.getErr();
                err.println("cambench: error: " + user.getMessage());
                err.flush();
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    private static UserException userCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UserException u) {
                return u;
            }
        }
        return null;
    }

    /** Entry point. */
    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
        } catch (RuntimeException e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }
}
