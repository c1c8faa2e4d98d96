using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Routing.Engine.Admin;
using Routing.Engine.Location;
using Routing.Engine.Operators;
using Routing.Engine.SignIn;
using Routing.Engine.Wallboard;
using Routing.Engine.WebConsole;

namespace Routing.Engine.Hosting;

/// <summary>Builds the engine's web host: the ARI connection and call dispatcher as hosted
/// services, and the admin endpoints (/metrics, /health, /calls) on Admin:Urls.</summary>
public static class EngineHost
{
    public static WebApplication Build(EngineConfiguration configuration, Action<ILoggingBuilder>? logging = null, Action<IServiceCollection>? services = null)
    {
        ThreadPoolFloor.Ensure();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration.Root);
        builder.WebHost.UseUrls(configuration.Admin.Urls);
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        }
        else
        {
            logging(builder.Logging);
        }

        builder.Services.AddRoutingEngine(configuration);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        if (configuration.SignIn.BehindProxy)
        {
            // Only the loopback proxy (the default KnownProxies) is believed about the client's scheme and address.
            app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto });
        }

        app.UseMiddleware<ConsoleSignInMiddleware>();
        app.UseMiddleware<OperatorIdentityMiddleware>();
        app.MapAdminEndpoints();
        app.MapOperatorApi();
        app.MapLocationIntake();
        app.MapLocationReferences();
        Text.TextApiEndpoints.MapTextApi(app);
        app.MapWallboardApi();
        app.MapSignIn();
        app.MapConsole();
        if (app.Services.GetService<Routing.Simulator.SimulatedAsterisk>() is not null)
        {
            app.MapSimulatorEndpoints();
        }

        return app;
    }
}
