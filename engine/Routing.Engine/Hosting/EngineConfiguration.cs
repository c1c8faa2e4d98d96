using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Routing.Asterisk.Ami;
using Routing.Asterisk.Ari;
using Routing.Calls.Centre;
using Routing.Calls.Routing;
using Routing.Engine.Operators;
using Routing.Engine.Overload;
using Routing.Engine.SignIn;
using Routing.Ledger;

namespace Routing.Engine.Hosting;

/// <summary>
/// Reads and validates every options class at start, so a broken file or key stops the engine
/// before the first call with a message that names it, instead of failing mid-call.
/// Sources, later ones winning: appsettings.json beside the binary, an optional extra file
/// (--config), environment variables (e.g. Asterisk__Ari__Password), then in-code overrides.
/// </summary>
public sealed record EngineConfiguration(
    IConfiguration Root,
    RoutingOptions Routing,
    AsteriskOptions Asterisk,
    AriOptions Ari,
    AmiOptions Ami,
    LedgerOptions Ledger,
    AdminOptions Admin,
    SimulationOptions Simulation,
    CentreOptions? Centre,
    OperatorApiOptions OperatorApi,
    SignInOptions SignIn)
{
    /// <summary>When new callers are shed to the dialplan fallback (section <c>Overload</c>).</summary>
    public OverloadOptions Overload { get; init; } = new();

    /// <summary>Set to <c>false</c> to run without the call-taker centre even though a Centre section is
    /// configured: unclassified calls then ring Routing:Operators:Trunks, and 112 calls take the IVR menus
    /// to their agency, as before the centre existed.</summary>
    public const string CentreEnabledKey = "Centre:Enabled";

    /// <summary>Text callers (SIP MESSAGE from the app gateway); off when <c>Text:Gateways</c> is empty.</summary>
    public global::Routing.Calls.Text.TextOptions Text { get; init; } = new();

    public static IConfigurationRoot Load(string? extraFile, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        AddJson(builder, Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false);
        if (extraFile is not null)
        {
            AddJson(builder, Path.GetFullPath(extraFile), optional: false);
        }

        builder.AddEnvironmentVariables();
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigurationException([ex.InnerException is JsonException json ? $"{ex.Message} {json.Message}" : ex.Message]);
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException([ex.Message]);
        }
    }

    public static EngineConfiguration Bind(IConfiguration root)
    {
        var errors = new List<string>();
        var routing = BindSection<RoutingOptions>(root, RoutingOptions.Section, errors);
        var asterisk = BindSection<AsteriskOptions>(root, AsteriskOptions.Section, errors);
        var ari = BindSection<AriOptions>(root, "Asterisk:Ari", errors);
        var ami = BindSection<AmiOptions>(root, AmiOptions.SectionName, errors);
        var ledger = BindSection<LedgerOptions>(root, "Ledger", errors);
        var admin = BindSection<AdminOptions>(root, AdminOptions.Section, errors);
        var simulation = BindSection<SimulationOptions>(root, SimulationOptions.Section, errors);
        var operatorApi = BindSection<OperatorApiOptions>(root, OperatorApiOptions.Section, errors);
        var signIn = BindSection<SignInOptions>(root, SignInOptions.Section, errors);
        var overload = BindSection<OverloadOptions>(root, OverloadOptions.Section, errors);
        errors.AddRange(overload.Validate());

        // The call-taker centre is on when configured; without a Centre section, unclassified calls ring
        // Routing:Operators:Trunks as before.
        CentreOptions? centre = null;
        if (root.GetSection(CentreOptions.Section).Exists() && !string.Equals(root[CentreEnabledKey], "false", StringComparison.OrdinalIgnoreCase))
        {
            centre = BindSection<CentreOptions>(root, CentreOptions.Section, errors);
            errors.AddRange(CentreOptionsValidator.Validate(centre, routing));
        }

        var text = BindSection<global::Routing.Calls.Text.TextOptions>(root, global::Routing.Calls.Text.TextOptions.Section, errors);
        errors.AddRange(global::Routing.Calls.Text.TextOptionsValidator.Validate(text, routing));
        // The shipped configuration has text on; an operator who turns the centre off (Centre:Enabled=false) turns
        // off what queues for it, text sessions included. A Text section with no Centre section at all is a mistake.
        if (text.Enabled && centre is null && string.Equals(root[CentreEnabledKey], "false", StringComparison.OrdinalIgnoreCase))
        {
            text = new global::Routing.Calls.Text.TextOptions();
        }
        else if (text.Enabled && centre is null)
        {
            errors.Add("Text:Gateways needs the call-taker centre (a Centre section, Centre:Enabled not false): text sessions queue for a call-taker");
        }

        errors.AddRange(operatorApi.Validate());
        errors.AddRange(signIn.Validate());
        // Whether a dialer is wired is known only to the host (CallbackScheduler checks that part).
        errors.AddRange(BindSection<Callbacks.CallbackOptions>(root, Callbacks.CallbackOptions.Section, errors).Validate(dialerWired: true));

        errors.AddRange(RoutingOptionsValidator.Validate(routing));
        errors.AddRange(ari.Validate());
        errors.AddRange(ledger.Validate());
        // The dead man's switch re-arms callers' timeouts over AMI (Setvar), and the overload flag is a global
        // Setvar, so they need AMI too.
        if (asterisk.ObserveAmi || asterisk.DeadMansSwitch > TimeSpan.Zero || overload is { Enabled: true, DialplanFlag: true })
        {
            errors.AddRange(ami.Validate());
        }

        if (!Calls.AssertedIdentity.IsValidHost(asterisk.AssertedIdentityHost))
        {
            errors.Add($"Asterisk:AssertedIdentityHost '{asterisk.AssertedIdentityHost}' is not a host name or address: it becomes the host of the P-Asserted-Identity URI every agency is sent (e.g. 112.example.kz or 10.0.0.5)");
        }

        if (asterisk.SweepInterval <= TimeSpan.Zero)
        {
            errors.Add("Asterisk:SweepInterval must be greater than zero");
        }

        if (asterisk.DeadMansSwitch != TimeSpan.Zero && (asterisk.DeadMansSwitch < TimeSpan.FromSeconds(2) || asterisk.DeadMansSwitch.Ticks % TimeSpan.TicksPerSecond != 0))
        {
            errors.Add($"Asterisk:DeadMansSwitch must be zero (off) or whole seconds of at least 2 (TIMEOUT(absolute) counts seconds), not {asterisk.DeadMansSwitch}");
        }

        if (simulation.CallsPerSecond is < 0 or > 500 || double.IsNaN(simulation.CallsPerSecond))
        {
            errors.Add("Simulation:CallsPerSecond must be between 0 and 500");
        }

        if (simulation.DrainTimeout < TimeSpan.Zero)
        {
            errors.Add("Simulation:DrainTimeout must not be negative");
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        return new EngineConfiguration(root, routing, asterisk, ari, ami, ledger, admin, simulation, centre, operatorApi, signIn) { Overload = overload, Text = text };
    }

    /// <summary>Only the routing section, for tools (explain) that never talk to Asterisk and so
    /// must not demand its credentials.</summary>
    public static RoutingOptions BindRouting(IConfiguration root)
    {
        var errors = new List<string>();
        var routing = BindSection<RoutingOptions>(root, RoutingOptions.Section, errors);
        errors.AddRange(RoutingOptionsValidator.Validate(routing));
        return errors.Count > 0 ? throw new ConfigurationException(errors) : routing;
    }

    /// <summary>One section, bound and validated, for tools that need only it (e.g. the ledger for
    /// <c>routing recordings</c>); errors name the key like <see cref="Bind"/>'s.</summary>
    public static T BindValidated<T>(IConfiguration root, string section, Func<T, IEnumerable<string>> validate)
        where T : new()
    {
        var errors = new List<string>();
        var options = BindSection<T>(root, section, errors);
        errors.AddRange(validate(options));
        return errors.Count > 0 ? throw new ConfigurationException(errors) : options;
    }

    /// <summary>Only the ledger section, for tools (audit) that read the ledger and nothing else.</summary>
    public static LedgerOptions BindLedger(IConfiguration root) =>
        BindValidated<LedgerOptions>(root, LedgerOptions.SectionName, o => o.Validate());

    private static void AddJson(ConfigurationBuilder builder, string path, bool optional)
    {
        if (!optional && !File.Exists(path))
        {
            throw new ConfigurationException([$"{path}: configuration file not found"]);
        }

        builder.AddJsonFile(path, optional, reloadOnChange: false);
    }

    /// <summary>Binds a section, turning the binder's conversion errors ("'abc' is not a valid
    /// TimeSpan") into errors that name the key.</summary>
    private static T BindSection<T>(IConfiguration root, string section, List<string> errors)
        where T : new()
    {
        var options = new T();
        try
        {
            root.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = false);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"{section}: {ex.Message}{(ex.InnerException is null ? "" : " " + ex.InnerException.Message)}");
        }

        return options;
    }
}
