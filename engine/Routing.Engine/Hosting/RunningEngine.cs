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

    private RunningEngine(WebApplication host, LedgerStore ledger)
    {
        Host = host;
        this.ledger = ledger;
    }

    public WebApplication Host { get; }

    public CallRegistry Calls => Host.Services.GetRequiredService<CallRegistry>();

    public LedgerReader Ledger => ledger.Reader;

    public LedgerJournal Journal => ledger.Journal;

    public static async Task<RunningEngine> StartAsync(
        EngineConfiguration configuration,
        CancellationToken cancellationToken,
        Action<ILoggingBuilder>? logging = null,
        Action<IServiceCollection>? services = null,
        ILoggerFactory? loggerFactory = null)
    {
        var ledger = await LedgerFactory.CreateAsync(configuration.Ledger, loggerFactory ?? NullLoggerFactory.Instance, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        try
        {
            var host = EngineHost.Build(configuration, logging, s =>
            {
                s.AddSingleton(ledger);
                services?.Invoke(s);
            });
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            return new RunningEngine(host, ledger);
        }
        catch
        {
            await ledger.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Host.StopAsync(stopping.Token).ConfigureAwait(false);
        await Host.DisposeAsync().ConfigureAwait(false);
        await ledger.DisposeAsync().ConfigureAwait(false);
    }
}
