using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Routing.Engine.Calls;
using Microsoft.Extensions.Logging.Abstractions;
using Routing.Ledger;
using LedgerStore = Routing.Ledger.Ledger;

namespace Routing.Engine.Hosting;

/// <summary>A started engine: its host, call registry and ledger. Used by `routing run`, the
/// integration tests and the load benchmark alike, so all three exercise the same wiring.</summary>
public sealed class RunningEngine : IAsyncDisposable
{
    private readonly LedgerStore ledger;

    private int stopped;

    private RunningEngine(WebApplication host, LedgerStore ledger)
    {
        Host = host;
        this.ledger = ledger;
    }

    public WebApplication Host { get; }

    public CallRegistry Calls => Host.Services.GetRequiredService<CallRegistry>();

    public LedgerReader Ledger => ledger.Reader;

    public LedgerJournal Journal => ledger.Journal;

    /// <summary>The background services that had ended in error when the host began to stop (the host stops
    /// itself when one does); empty after a stop someone asked for.</summary>
    public IReadOnlyList<string> Faults => faultsAtStop;

    private IReadOnlyList<string> faultsAtStop = [];

    public static async Task<RunningEngine> StartAsync(
        EngineConfiguration configuration,
        CancellationToken cancellationToken,
        Action<ILoggingBuilder>? logging = null,
        Action<IServiceCollection>? services = null,
        ILoggerFactory? loggerFactory = null)
    {
        AdminPort.EnsureFree(configuration.Admin.Urls);
        var ledger = await LedgerFactory.CreateAsync(configuration.Ledger, loggerFactory ?? NullLoggerFactory.Instance, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        WebApplication? host = null;
        try
        {
            host = EngineHost.Build(configuration, logging, s =>
            {
                s.AddSingleton(ledger);
                services?.Invoke(s);
            });
            var started = new RunningEngine(host, ledger);
            var hosted = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ToList();
            host.Lifetime.ApplicationStopping.Register(() => started.faultsAtStop = FaultedServices.Of(hosted));
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            return started;
        }
        catch (Exception ex)
        {
            // Services that did start (the ARI connection) must not go on running without the engine.
            if (host is not null)
            {
                await StopQuietlyAsync(host).ConfigureAwait(false);
            }

            await ledger.DisposeAsync().ConfigureAwait(false);
            if (AdminPort.IsAddressInUse(ex))
            {
                // Taken between the check above and Kestrel's bind.
                var (url, port) = AdminPort.FirstFixed(configuration.Admin.Urls);
                throw new AdminPortInUseException(url, port, ex);
            }

            throw;
        }
    }

    private static async Task StopQuietlyAsync(WebApplication host)
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await host.StopAsync(stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or AggregateException)
        {
            // Best effort: the start failure is what gets reported.
        }

        await host.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the host (bounded: 10 s); waiting calls are handed to the dialplan fallback.
    /// Safe to call more than once; <see cref="DisposeAsync"/> calls it too.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Host.StopAsync(stopping.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await Host.DisposeAsync().ConfigureAwait(false);
        await ledger.DisposeAsync().ConfigureAwait(false);
    }
}
