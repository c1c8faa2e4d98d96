using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Asterisk.Ari;
using Routing.Calls.Ports;
using Routing.Calls.Routing;
using Routing.Engine.Callbacks;
using Routing.Engine.Calls;
using Routing.Engine.Centre;
using Routing.Engine.Location;
using Routing.Engine.Operators;
using Routing.Engine.Overload;
using Routing.Engine.Metrics;
using Routing.Ledger;

namespace Routing.Engine.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything the engine needs, from already validated configuration.</summary>
    public static IServiceCollection AddRoutingEngine(this IServiceCollection services, EngineConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(configuration.Routing));
        services.AddSingleton(Options.Create(configuration.Asterisk));
        services.AddSingleton(Options.Create(configuration.Simulation));
        services.AddSingleton(configuration.Ari);
        services.AddSingleton(configuration.Ledger);

        services.AddSingleton(sp => new AriEventStream(configuration.Ari, sp.GetRequiredService<ILoggerFactory>().CreateLogger<AriEventStream>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAriRestClient>(sp => configuration.Asterisk.RestTransport == AriRestTransport.WebSocket
            ? new AriRestClient(configuration.Ari, sp.GetRequiredService<AriEventStream>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<AriRestClient>(), sp.GetRequiredService<TimeProvider>())
            : new AriRestClient(configuration.Ari, sp.GetRequiredService<ILoggerFactory>().CreateLogger<AriRestClient>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AriEventStreamService>();
        services.AddHostedService(sp => sp.GetRequiredService<AriEventStreamService>());

        // The ledger is opened, and migrated, before the host is built (RunningEngine), so the
        // first StasisStart can never find it missing.
        services.AddSingleton<ICallJournal>(sp => sp.GetRequiredService<Routing.Ledger.Ledger>().Journal);
        services.AddSingleton(sp => sp.GetRequiredService<Routing.Ledger.Ledger>().Reader);

        services.AddSingleton(sp => sp.GetRequiredService<Routing.Ledger.Ledger>().Journal);
        services.AddHostedService<LedgerMetricsPublisher>();
        var callbacks = new CallbackOptions();
        configuration.Root.GetSection(CallbackOptions.Section).Bind(callbacks);
        services.AddSingleton(callbacks);
        services.AddSingleton<CallbackDesk>();
        services.AddHostedService<CallbackScheduler>();


        // The engine's own lag, fed by every event and every call's REST request, asked at each arrival.
        services.AddSingleton(sp =>
        {
            var events = sp.GetRequiredService<AriEventStream>().Reader;
            var ledger = sp.GetRequiredService<Routing.Ledger.Ledger>().Journal;
            return new OverloadGuard(configuration.Overload, sp.GetRequiredService<TimeProvider>(), () => events.Count, () => ledger.Stats.Pending);
        });
        if (configuration.Overload is { Enabled: true, DialplanFlag: true })
        {
            services.AddHostedService(sp => new DialplanShedFlag(sp.GetRequiredService<OverloadGuard>(), configuration.Overload, configuration.Ami,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        }

        services.AddSingleton<LeftoverBridges>();
        services.AddSingleton<ITelephony>(sp => new AriTelephony(sp.GetRequiredService<IAriRestClient>(), configuration.Ari.Application,
            sp.GetRequiredService<OverloadGuard>(), sp.GetRequiredService<LeftoverBridges>(), configuration.Asterisk.AssertedIdentityHost));
        services.AddSingleton<CallTally>();
        services.AddSingleton<ICallObserver, PrometheusCallObserver>();
        services.AddSingleton<CallRegistry>();
        services.AddSingleton(configuration.OperatorApi);
        services.AddSingleton(configuration.SignIn);
        services.AddSingleton<SignIn.ConsoleSessions>();
        services.AddSingleton<Wallboard.WallboardHistory>();
        services.AddHostedService(sp =>
        {
            var journal = sp.GetRequiredService<Routing.Ledger.Ledger>().Journal;
            return new Wallboard.WallboardSeeder(sp.GetRequiredService<Wallboard.WallboardHistory>(), sp.GetRequiredService<LedgerReader>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<Wallboard.WallboardSeeder>(), () => journal.SpoolReplayCommitted);
        });
        services.AddSingleton(configuration.Admin);
        services.AddSingleton<CentreEventHub>();
        services.AddSingleton<CallCardPublisher>();
        services.AddSingleton<CentreTally>();
        if (configuration.Centre is { } centre)
        {
            // Before the dispatcher: the centre's loop runs before the first call can ask it for a call-taker.
            services.AddSingleton(centre);
            services.AddSingleton<OfferLegs>();
            // A singleton so that the container disposes it: that stops its endpoint polling (if Asterisk made it poll).
            services.AddSingleton(sp => new CallTakerDevices(sp.GetRequiredService<IAriRestClient>(), configuration.Ari, centre,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<CallTakerDevices>()));
            services.AddSingleton(sp => new CentreService(centre, configuration.Routing, sp.GetRequiredService<ITelephony>(), sp.GetRequiredService<ICallJournal>(),
                sp.GetRequiredService<CallRegistry>(), sp.GetRequiredService<OfferLegs>(), sp.GetRequiredService<CentreEventHub>(), sp.GetRequiredService<CentreTally>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<CentreService>(),
                sp.GetRequiredService<CallTakerDevices>()));
            services.AddSingleton<ICallCentre>(sp => sp.GetRequiredService<CentreService>());
            services.AddHostedService(sp => sp.GetRequiredService<CentreService>());
            if (configuration.Text.Enabled)
            {
                services.AddSingleton(configuration.Text);
                services.AddSingleton(sp => new Text.TextService(configuration.Text, configuration.Routing, sp.GetRequiredService<IAriRestClient>(), configuration.Ari,
                    sp.GetRequiredService<ICallJournal>(), sp.GetRequiredService<CentreService>(), sp.GetRequiredService<CentreEventHub>(),
                    sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<Text.TextService>(),
                    sp.GetRequiredService<LedgerReader>(), configuration.Ledger.NodeId));
                services.AddSingleton(sp => new Text.TextGateways(sp.GetRequiredService<IAriRestClient>(), configuration.Ari, sp.GetRequiredService<ILoggerFactory>().CreateLogger<Text.TextGateways>()));
                services.AddHostedService(sp => sp.GetRequiredService<Text.TextService>());
                // Only where texts are read: without the text service the stale heartbeat lets the dialplan take them.
                services.AddSingleton(sp => new Text.TextHeartbeat(sp.GetRequiredService<IAriRestClient>(), configuration.Text, sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger<Text.TextHeartbeat>()));
                services.AddHostedService(sp => sp.GetRequiredService<Text.TextHeartbeat>());
            }

            // Calling lost callers back rings a position first: only with a centre.
            services.AddSingleton<CallbackCalls>();
            services.AddSingleton<ICallbackDialer>(sp => sp.GetRequiredService<CallbackCalls>());
        }

        services.AddLocationIntake(configuration.Root, configuration.Routing);
        services.AddSingleton<CallFactory>();
        services.AddSingleton<RestartRecovery>();
        services.AddSingleton<AdoptedConversations>();
        services.AddHostedService(sp => new DeadMansSwitch(sp.GetRequiredService<CallRegistry>(), configuration.Ami,
            sp.GetRequiredService<IOptions<AsteriskOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<EventStreamBarrier>();
        services.AddSingleton<Reconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<Reconciler>());
        services.AddSingleton<AriEventFilter>();
        services.AddSingleton<EndpointSubscriptions>();
        services.AddSingleton<AriCallDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AriCallDispatcher>());
        if (configuration.Asterisk.ObserveAmi)
        {
            services.AddSingleton(configuration.Ami);
            services.AddHostedService<AmiFallbackObserver>();
        }

        services.AddEvidenceServices(configuration.Root, configuration.Routing);
        return services;
    }
}
