using System.Diagnostics;

namespace Routing.Engine.Tests.Support;

/// <summary>
/// Makes a file refuse to be opened for writing, as on a disk remounted read-only: mode 0444, and for
/// root (whom modes do not bind) the immutable attribute as well (chattr +i). <see cref="Lift"/> undoes it.
/// A SQLite ledger is made read-only whole (<see cref="ApplyToLedger"/>: the file and its WAL, where commits go),
/// and only where handles opened before are refused too: the ledger's writer keeps its connection open across
/// commits (issue 11), and a mode change binds only later opens; the immutable attribute refuses writes through
/// open handles as well, as a disk remounted read-only does.
/// </summary>
internal static class ReadOnlyFile
{
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ReadWrite = ReadOnly | UnixFileMode.UserWrite;

    /// <summary>Why a file cannot be made read-only here, or null when it can (checked once, on a scratch file).</summary>
    public static readonly string? Impossible = Probe();

    public static void Apply(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix file modes only");
        }

        File.SetUnixFileMode(path, ReadOnly);
        if (Environment.IsPrivilegedProcess)
        {
            Chattr("+i", path);
        }
    }

    /// <summary>The ledger file and its WAL refuse writes, through the writer's open connection too.</summary>
    public static void ApplyToLedger(string database)
    {
        Apply(database);
        if (File.Exists(database + "-wal"))
        {
            Apply(database + "-wal");
        }
    }

    public static void LiftFromLedger(string database)
    {
        if (File.Exists(database + "-wal"))
        {
            Lift(database + "-wal");
        }

        Lift(database);
    }

    public static void Lift(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix file modes only");
        }

        if (Environment.IsPrivilegedProcess)
        {
            Chattr("-i", path);
        }

        File.SetUnixFileMode(path, ReadWrite);
    }

    private static string? Probe()
    {
        if (OperatingSystem.IsWindows())
        {
            return "read-only ledger test skipped: it uses Unix file modes";
        }

        var scratch = Path.Combine(Path.GetTempPath(), "routing-tests", "read-only-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(scratch)!);
        File.WriteAllText(scratch, "probe");
        var openBefore = new FileStream(scratch, FileMode.Open, FileAccess.Write);
        try
        {
            try
            {
                Apply(scratch);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                return "read-only ledger test skipped: cannot make a file read-only here (" + ex.Message + ")";
            }

            try
            {
                using var stream = new FileStream(scratch, FileMode.Open, FileAccess.Write);
                return "read-only ledger test skipped: this process can write a read-only file (root without chattr +i / CAP_LINUX_IMMUTABLE)";
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                // Refused for new handles; the ledger's writer has its handle open already.
            }

            try
            {
                openBefore.Write("more"u8);
                openBefore.Flush(flushToDisk: true);
                return "read-only ledger test skipped: a handle opened before still writes (only chattr +i, as root or with CAP_LINUX_IMMUTABLE, refuses it), and the ledger's writer keeps its connection open";
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                return null;
            }
        }
        finally
        {
            try
            {
                openBefore.Dispose();
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                // Its last write was refused: that was the point.
            }

            try
            {
                Lift(scratch);
                File.Delete(scratch);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // A scratch file in the temp folder: left for the next clean-up.
            }
        }
    }

    private static void Chattr(string flag, string path)
    {
        using var process = Process.Start(new ProcessStartInfo("chattr") { ArgumentList = { flag, path }, RedirectStandardError = true })
            ?? throw new InvalidOperationException("chattr did not start");
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"chattr {flag} {path} failed: {error.Trim()}");
        }
    }
}
