namespace Routing.Engine.Tests.Console;

/// <summary>
/// A test that drives Debian's Chromium (<c>apt-get install chromium</c>; Playwright never downloads a
/// browser here). Without Chromium it is skipped with one line saying so, except under <c>CI=true</c>,
/// where a missing browser is a failure: CI installs it (.ci/run).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string DefaultPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null && !Chromium.UnderCi)
        {
            Skip = $"Chromium not found at {DefaultPath} (or ROUTING_TEST_CHROMIUM): apt-get install chromium to run the browser tests";
        }
    }
}

internal static class Chromium
{
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? Path
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("ROUTING_TEST_CHROMIUM");
            var path = string.IsNullOrEmpty(configured) ? ChromiumFactAttribute.DefaultPath : configured;
            return File.Exists(path) ? path : null;
        }
    }
}
