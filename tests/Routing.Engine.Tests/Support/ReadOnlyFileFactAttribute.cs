namespace Routing.Engine.Tests.Support;

/// <summary>Skipped, with the reason, where this process cannot make a file read-only (<see cref="ReadOnlyFile"/>).</summary>
internal sealed class ReadOnlyFileFactAttribute : FactAttribute
{
    public ReadOnlyFileFactAttribute()
    {
        if (ReadOnlyFile.Impossible is { } reason)
        {
            Skip = reason;
        }
    }
}
