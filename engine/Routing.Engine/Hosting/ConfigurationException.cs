namespace Routing.Engine.Hosting;

/// <summary>The configuration cannot be used. Each error names the key (or file) it is about.</summary>
public sealed class ConfigurationException(IReadOnlyList<string> errors)
    : Exception("Configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
