package io.github.dpsjwt.device;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code dps-device}: the device side of a Google Cloud IoT Core fleet moving to Azure IoT Hub through
 * DPS and the dps-jwt-allocator webhook, and the tools to move the fleet.
 *
 * <p>Exit codes: 0 success; 1 refused or failed (the webhook or DPS said no, or input could not be
 * migrated); 2 usage error; 3 could not reach the webhook or DPS.
 */
@Command(name = "dps-device", mixinStandardHelpOptions = true, version = "dps-device 1.0.0",
        description = "Device keys, device tokens, a DPS simulator, real DPS provisioning, Google Cloud IoT Core registry import and the webhook's registry.",
        subcommands = { KeygenCommand.class, TokenCommand.class, SimulateCommand.class, ProvisionCommand.class,
                ImportGcpCommand.class, RegistryCommand.class, CommandLine.HelpCommand.class },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:success", "1:refused or failed", "2:usage error", "3:webhook or DPS unreachable" })
public final class DpsDevice {

    static final int REFUSED = 1;
    static final int UNREACHABLE = 3;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new DpsDevice());
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText(cmd.getCommandSpec().qualifiedName() + ": " + message(e)));
            return e instanceof java.net.ConnectException || e instanceof java.net.http.HttpTimeoutException ? UNREACHABLE : REFUSED;
        });
        return commandLine;
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
