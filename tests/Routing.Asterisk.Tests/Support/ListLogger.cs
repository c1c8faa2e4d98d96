using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Routing.Asterisk.Tests.Support;

/// <summary>Keeps every formatted log line (with its exception) so tests can check what would reach the logs.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} {exception}");

    public string All => string.Join("\n", Lines);
}
