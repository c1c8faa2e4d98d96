using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;
using Routing.Calls.Location;
using Routing.Calls.Ports;
using Routing.Calls.Routing;
using Routing.Engine.Hosting;

namespace Routing.Engine.Location;

/// <summary>The location intake, bound and validated from <c>LocationIntake</c> (errors name the key).</summary>
public static class LocationServices
{
    public static IServiceCollection AddLocationIntake(this IServiceCollection services, IConfiguration root, RoutingOptions routing)
    {
        var options = EngineConfiguration.BindValidated<LocationIntakeOptions>(root, LocationIntakeOptions.Section, o => o.Validate());
        services.AddSingleton(options);
        var references = EngineConfiguration.BindValidated<LocationReferenceOptions>(root, LocationReferenceOptions.Section, o => o.Validate(routing));
        services.AddSingleton(references);
        if (references.Enabled)
        {
            services.AddSingleton(sp => new LocationReferences(references, sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<ILocationReferences>(sp => sp.GetRequiredService<LocationReferences>());
            services.AddSingleton<UnknownReferenceProbes>();
        }

        // Region outlines read once for every call (the validator already refused bad ones at start).
        services.AddSingleton(RegionAreas.Resolver(routing));
        services.AddSingleton(sp => new LocationIntake(routing, options, sp.GetRequiredService<ICallJournal>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LocationIntake>>()));
        services.AddSingleton(_ => new PidfFetcher(PidfFetcher.CreateClient(options), options));
        services.AddSingleton(sp => new SipLocationReader(sp.GetRequiredService<IAriRestClient>(), sp.GetRequiredService<PidfFetcher>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SipLocationReader>>()));
        return services;
    }
}
