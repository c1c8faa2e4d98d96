using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Routing.Bench.Load;

/// <summary>Counts the engine's warnings and errors during a load run and keeps the first few, so
/// the report can show them without the run's output drowning in log lines.</summary>
public sealed class WarningCounter : ILoggerProvider
{
    private const int Kept = 5;
    private readonly ConcurrentQueue<string> first = new();
    private long warnings;
    private long errors;

    public long Warnings => Interlocked.Read(ref warnings);

    public long Errors => Interlocked.Read(ref errors);

    public IReadOnlyList<string> First => first.ToArray();

    public ILogger CreateLogger(string categoryName) => new Counting(this, categoryName);

    public void Dispose() { }

    private void Record(LogLevel level, string category, string message)
    {
        if (level >= LogLevel.Error) Interlocked.Increment(ref errors);
        else Interlocked.Increment(ref warnings);
        if (first.Count < Kept) first.Enqueue($"{level} {category}: {message}");
    }

    private sealed class Counting(WarningCounter owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            owner.Record(logLevel, category, formatter(state, exception) + (exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})"));
        }
    }
}
