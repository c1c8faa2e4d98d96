using Microsoft.Extensions.Hosting;

namespace Routing.Engine.Hosting;

/// <summary>
/// Which of the engine's background services had ended with an error when the host began to stop. The host
/// stops itself when a service's ExecuteAsync throws — an exception, or an OperationCanceledException that no
/// stop asked for (a timeout's) — and such a stop must not look like a clean one: a supervisor
/// (systemd <c>Restart=on-failure</c>) restarts only an engine that exits non-zero, and the person reading the
/// exit wants the service and the error. Taken when stopping begins, before the host cancels the services, so a
/// service cancelled by a requested stop is never counted; one that simply finished its work is not either.
/// </summary>
public static class FaultedServices
{
    /// <summary>Each ended-in-error service's type name and first error, in registration order.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<IHostedService> services) =>
        services.OfType<BackgroundService>()
            .Where(s => s.ExecuteTask is { IsFaulted: true } or { IsCanceled: true })
            .Select(s => $"{s.GetType().Name} failed: {Error(s.ExecuteTask!)}")
            .ToList();

    private static string Error(Task task)
    {
        if (task.Exception is not { } error)
        {
            return "cancelled although no stop was asked for (a timeout inside the service)";
        }

        var first = error.InnerExceptions.Count == 1 ? error.InnerException! : error;
        return $"{first.GetType().Name}: {first.Message}";
    }
}
