using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;
using Routing.Calls.Notifications;
using Routing.Calls.Ports;
using Routing.Calls.Routing;
using Routing.Engine.Calls.Cel;
using Routing.Engine.Notifications;
using Routing.Engine.Recordings;
using LedgerStore = Routing.Ledger.Ledger;

namespace Routing.Engine.Hosting;

/// <summary>What the engine keeps and tells beyond routing: recordings indexed into the ledger, calls the
/// dialplan routed without the engine imported from CEL, and status messages to callers. Each section is bound
/// and validated here, all errors at once, naming their keys.</summary>
public static class EvidenceServices
{
    public static IServiceCollection AddEvidenceServices(this IServiceCollection services, IConfiguration root, RoutingOptions routing)
    {
        var errors = new List<string>();
        var recordings = Bind<RecordingsOptions>(root, RecordingsOptions.Section, o => o.Validate(), errors);
        var cel = Bind<CelImportOptions>(root, CelImportOptions.Section, o => o.Validate(), errors);
        var notifications = Bind<CallerNotificationOptions>(root, CallerNotificationOptions.Section, CallerNotificationOptionsValidator.Validate, errors);
        if (errors.Count > 0) throw new ConfigurationException(errors);

        services.AddSingleton(recordings);
        if (recordings.Enabled)
        {
            services.AddSingleton(sp => new RecordingIndexer(recordings, sp.GetRequiredService<LedgerStore>().Reader, sp.GetRequiredService<LedgerStore>().Journal,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<RecordingIndexer>()));
            services.AddHostedService<RecordingIndexService>();
        }

        if (cel.File.Length > 0)
        {
            services.AddSingleton(cel);
            services.AddHostedService(sp => new CelImportService(cel, sp.GetRequiredService<LedgerStore>().Journal, sp.GetRequiredService<LedgerStore>().Reader,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CelImportService>>()));
        }

        if (notifications.Enabled)
        {
            services.AddSingleton(notifications);
            services.AddSingleton(new CallerNotificationPolicy(notifications, routing.Agencies));
            services.AddSingleton<ICallerMessageSender>(sp => notifications.Sender == "Http"
                ? new HttpSmsGatewaySender(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, new Uri(notifications.HttpGatewayUrl), notifications.HttpGatewayToken)
                : new AriSipMessageSender(sp.GetRequiredService<IAriRestClient>(), notifications.SipMessageTo, notifications.SipMessageFrom));
            services.AddSingleton(sp => new CallerNotifier(sp.GetRequiredService<CallerNotificationPolicy>(), notifications, sp.GetRequiredService<ICallerMessageSender>(),
                sp.GetRequiredService<LedgerStore>().Journal, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CallerNotifier>>()));
            services.AddHostedService(sp => sp.GetRequiredService<CallerNotifier>());

            // Every call's record passes the watch first (the last ICallJournal registered is the one calls get).
            services.AddSingleton<ICallJournal>(sp => new CallerNotificationWatch(sp.GetRequiredService<LedgerStore>().Journal,
                sp.GetRequiredService<CallerNotifier>(), routing.Ivr.DefaultLanguage));
        }

        return services;
    }

    private static T Bind<T>(IConfiguration root, string section, Func<T, IEnumerable<string>> validate, List<string> errors)
        where T : new()
    {
        try
        {
            return EngineConfiguration.BindValidated(root, section, validate);
        }
        catch (ConfigurationException ex)
        {
            errors.AddRange(ex.Errors);
            return new T();
        }
    }
}
