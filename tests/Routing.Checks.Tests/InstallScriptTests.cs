using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Routing.Checks.Tests;

/// <summary>dialplans/install.sh, run for real into a temp directory: it renders every placeholder,
/// keeps secrets off stdout, refuses to install with a variable missing, and puts prompts where
/// Asterisk looks for them.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // bash and Unix file modes
public sealed partial class InstallScriptTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3); // a bound against a hang, not a speed: at load 40 on 2 cores 30 s ran out
    private readonly string _root = Directory.CreateTempSubdirectory("routing-install-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Dest => Path.Combine(_root, "etc-asterisk");

    private string Sounds => Path.Combine(_root, "sounds");

    private static string Script => Path.Combine(RepositoryFiles.Dialplans, "install.sh");

    private static string EnvExample => Path.Combine(RepositoryFiles.Dialplans, "env.example");

    /// <summary>Every NAME=value of env.example, the lab values.</summary>
    private static Dictionary<string, string> LabValues() =>
        File.ReadAllLines(EnvExample)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

    private (int ExitCode, string Stdout, string Stderr) Install(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", [Script, Dest, Sounds])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only what the test gives: nothing from the machine running the tests leaks in.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ROUTING_", StringComparison.Ordinal) || k.StartsWith("TRUNK_", StringComparison.Ordinal)
                     || k is "SIP_BIND" or "PSTN_TRUNK_HOST" or "SOS_BUTTON_NETWORK" or "APP_GATEWAY_HOST").ToList())
        {
            start.Environment.Remove(name);
        }
        // No Asterisk of the machine is asked about its modules unless the test gives a CLI.
        start.Environment["ASTERISK_CLI"] = Path.Combine(_root, "no-asterisk-here");
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"install.sh did not finish within {Limit}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Installs_every_file_with_every_placeholder_rendered_and_no_secret_on_stdout()
    {
        var values = LabValues();
        values["ROUTING_ARI_PASSWORD"] = "ari-S3cret&/\\x";
        values["ROUTING_AMI_PASSWORD"] = "ami-S3cret";

        var (exit, stdout, stderr) = Install(values);

        Assert.True(exit == 0, stderr);
        var templates = Directory.GetFiles(RepositoryFiles.Dialplans, "*.conf.in").Select(f => Path.GetFileName(f)[..^3]);
        var plain = Directory.GetFiles(RepositoryFiles.Dialplans, "*.conf").Select(Path.GetFileName);
        foreach (var name in templates.Concat(plain!))
        {
            Assert.True(File.Exists(Path.Combine(Dest, name!)), $"{name} not installed");
        }
        foreach (var name in templates)
        {
            var text = File.ReadAllText(Path.Combine(Dest, name));
            Assert.DoesNotMatch(Placeholder(), text);
        }
        Assert.Contains("password = ari-S3cret&/\\x", File.ReadAllText(Path.Combine(Dest, "ari.conf")));
        Assert.Contains("secret = ami-S3cret", File.ReadAllText(Path.Combine(Dest, "manager.conf")));
        Assert.Contains("contact = sip:police-almaty-1@127.0.0.1:5101", File.ReadAllText(Path.Combine(Dest, "pjsip.conf")));
        Assert.DoesNotContain("S3cret", stdout + stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryFiles.Dialplans, "extensions.conf")), File.ReadAllText(Path.Combine(Dest, "extensions.conf")));
    }

    [Fact]
    public void The_install_asks_for_a_restart_not_a_reload()
    {
        var (exit, stdout, stderr) = Install(LabValues());

        Assert.True(exit == 0, stderr);
        Assert.Contains("RESTART Asterisk now: asterisk -rx 'core restart gracefully'", stdout, StringComparison.Ordinal);
        Assert.Contains("'core reload' is not enough", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("reload Asterisk (", stdout, StringComparison.Ordinal);
        Assert.Contains("messages.log", stdout, StringComparison.Ordinal);
    }

    /// <summary>A stand-in for <c>asterisk -rx</c>: answers "core show version", and "module show like M"
    /// as Asterisk 23 does, listing M only when it is not one of <paramref name="missing"/>.</summary>
    private string FakeAsteriskCli(params string[] missing)
    {
        var path = Path.Combine(_root, "fake-asterisk");
        File.WriteAllText(path, $$"""
            #!/usr/bin/env bash
            [[ $1 == -rx ]] || exit 1
            case $2 in
              'core show version') echo 'Asterisk 23.4.1 built by test' ;;
              'module show like '*) m=${2#module show like }
                 echo 'Module                         Description                              Use Count  Status      Support Level'
                 case " {{string.Join(' ', missing)}} " in *" $m "*) echo '0 modules loaded' ;;
                   *) printf '%-30s %-40s %-10s %-11s %s\n' "$m" 'Test module' 0 Running core; echo '1 modules loaded' ;; esac ;;
              *) exit 1 ;;
            esac
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void A_module_the_dialplan_needs_missing_from_the_running_asterisk_is_a_loud_named_warning()
    {
        var values = LabValues();
        values["ASTERISK_CLI"] = FakeAsteriskCli("app_celgenuserevent.so", "app_dial.so");

        var (exit, _, stderr) = Install(values);

        Assert.True(exit == 0, stderr); // the files are installed all the same: the warning says what to fix
        Assert.Contains("WARNING: Asterisk module app_dial.so is NOT LOADED (required): Dial(): the fallback reaches no one", stderr, StringComparison.Ordinal);
        Assert.Contains("WARNING: Asterisk module app_celgenuserevent.so is NOT LOADED (optional)", stderr, StringComparison.Ordinal);
        Assert.Contains("WARNING: 2 module(s) above are missing", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("app_stack.so", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_module_loaded_is_said_once_and_without_an_asterisk_the_install_says_how_to_check()
    {
        var values = LabValues();
        values["ASTERISK_CLI"] = FakeAsteriskCli();
        var (exit, stdout, stderr) = Install(values);
        Assert.True(exit == 0, stderr);
        Assert.Contains("modules: every module in needed-modules.txt is loaded", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", stderr, StringComparison.Ordinal);

        var (exit2, stdout2, stderr2) = Install(LabValues());
        Assert.True(exit2 == 0, stderr2);
        Assert.Contains("no running Asterisk to ask for modules", stdout2, StringComparison.Ordinal);
        Assert.Contains("module show like <module>", stdout2, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_holding_credentials_are_not_world_readable()
    {
        var (exit, _, stderr) = Install(LabValues());

        Assert.True(exit == 0, stderr);
        foreach (var name in new[] { "ari.conf", "manager.conf" })
        {
            var mode = File.GetUnixFileMode(Path.Combine(Dest, name));
            Assert.False(mode.HasFlag(UnixFileMode.OtherRead), $"{name} is world-readable ({mode})");
        }
    }

    [Fact]
    public void The_installed_configuration_passes_the_config_check()
    {
        var (exit, _, stderr) = Install(LabValues());
        Assert.True(exit == 0, stderr);

        var findings = ConfigCheck.Run(new CheckInputs(RepositoryFiles.AppSettings, Dest, RepositoryFiles.Prompts));

        Assert.Empty(findings.Select(f => f.ToString()));
    }

    [Fact]
    public void Prompts_land_where_asterisk_finds_sound_112_lang_prompt()
    {
        var (exit, _, stderr) = Install(LabValues());

        Assert.True(exit == 0, stderr);
        foreach (var language in new[] { "kk", "ru", "en" })
        {
            foreach (var prompt in Prompts.PromptSet.Names)
            {
                var installed = Path.Combine(Sounds, "112", language, prompt + ".wav");
                Assert.True(File.Exists(installed), $"{installed} missing");
                Assert.Equal(File.ReadAllBytes(Prompts.PromptSet.AudioPath(RepositoryFiles.Prompts, language, prompt)), File.ReadAllBytes(installed));
            }
        }
    }

    [Fact]
    public void The_hold_audio_lands_in_the_directory_musiconhold_conf_names()
    {
        var (exit, _, stderr) = Install(LabValues());

        Assert.True(exit == 0, stderr);
        var directory = Path.Combine(Path.GetFullPath(Sounds), "112", "moh");
        Assert.Contains($"directory = {directory}", File.ReadAllLines(Path.Combine(Dest, "musiconhold.conf")));
        foreach (var source in Directory.GetFiles(Path.Combine(RepositoryFiles.Prompts, "moh"), "*.wav"))
        {
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(directory, Path.GetFileName(source))));
        }
    }

    [Fact]
    public void A_missing_variable_stops_the_install_naming_it_and_writes_nothing()
    {
        var values = LabValues();
        values.Remove("TRUNK_GAS_SHYMKENT_2_HOST");
        values.Remove("ROUTING_AMI_PASSWORD");

        var (exit, _, stderr) = Install(values);

        Assert.Equal(2, exit);
        Assert.Contains("missing required variable(s), nothing installed", stderr);
        Assert.Contains("  TRUNK_GAS_SHYMKENT_2_HOST", stderr);
        Assert.Contains("  ROUTING_AMI_PASSWORD", stderr);
        Assert.False(Directory.Exists(Dest));
        Assert.False(Directory.Exists(Sounds));
    }

    [Fact]
    public void A_value_that_would_break_the_config_syntax_is_refused_without_printing_it()
    {
        var values = LabValues();
        values["ROUTING_ARI_PASSWORD"] = "abc;def";

        var (exit, stdout, stderr) = Install(values);

        Assert.Equal(2, exit);
        Assert.Contains("  ROUTING_ARI_PASSWORD", stderr);
        Assert.DoesNotContain("abc;def", stdout + stderr);
        Assert.False(Directory.Exists(Dest));
    }

    [Fact]
    public void Values_can_come_from_an_env_file_and_the_environment_wins()
    {
        var file = Path.Combine(_root, "asterisk.env");
        File.WriteAllLines(file, File.ReadAllLines(EnvExample).Append("export ROUTING_ARI_PASSWORD=\"from-file\""));

        var (exit, _, stderr) = Install(new Dictionary<string, string>
        {
            ["ROUTING_ENV_FILE"] = file,
            ["ROUTING_AMI_PASSWORD"] = "from-environment",
        });

        Assert.True(exit == 0, stderr);
        Assert.Contains("password = from-file", File.ReadAllText(Path.Combine(Dest, "ari.conf")));
        Assert.Contains("secret = from-environment", File.ReadAllText(Path.Combine(Dest, "manager.conf")));
    }

    [Fact]
    public void Replaced_files_are_kept_in_a_backup()
    {
        Directory.CreateDirectory(Dest);
        File.WriteAllText(Path.Combine(Dest, "extensions.conf"), "; the stock dialplan\n");

        var (exit, stdout, stderr) = Install(LabValues());

        Assert.True(exit == 0, stderr);
        var backup = Assert.Single(Directory.GetDirectories(Dest, "routing112-backup-*"));
        Assert.Equal("; the stock dialplan\n", File.ReadAllText(Path.Combine(backup, "extensions.conf")));
        Assert.Contains("previous files kept in", stdout);
    }

    [GeneratedRegex(@"\$\{[A-Za-z_][A-Za-z0-9_]*\}")]
    private static partial Regex Placeholder();
}
