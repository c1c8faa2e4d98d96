using Microsoft.Extensions.Hosting;

namespace Routing.Engine.Hosting;

/// <summary>
/// Which of the engine's background services ended with an exception. The host stops itself when one does
/// (BackgroundServiceExceptionBehavior.StopHost), and a stop it did on its own must not look like a clean
/// one: a supervisor (systemd <c>Restart=on-failure</c>) restarts only an engine that exits non-zero, and the
/// person reading the exit wants the service and the error, not "stopped".
/// </summary>
public static class FaultedServices
{
    /// <summary>Each faulted service's type name and first error, in registration order.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<IHostedService> services) =>
        services.OfType<BackgroundService>()
            .Where(s => s.ExecuteTask is { IsFaulted: true })
            .Select(s => $"{s.GetType().Name} failed: {FirstError(s.ExecuteTask!.Exception!)}")
            .ToList();

    private static string FirstError(AggregateException error)
    {
        var first = error.InnerExceptions.Count == 1 ? error.InnerException! : error;
        return $"{first.GetType().Name}: {first.Message}";
    }
}
