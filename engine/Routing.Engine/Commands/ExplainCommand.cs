using System.CommandLine;
using Routing.Calls.Location;
using Routing.Checks;
using Routing.Engine.Hosting;

namespace Routing.Engine.Commands;

/// <summary>`routing explain`: the path a given call would take through regions, agencies, trunks and timers.</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "An extra JSON settings file, applied over appsettings.json." };
        var caller = new Option<string>("--caller") { Description = "Caller number, e.g. +77271234567.", Required = true };
        var dialed = new Option<string>("--dialed") { Description = "Number dialled: 112, 101, 102, 103 or 104.", DefaultValueFactory = _ => "112" };
        var digits = new Option<string>("--digits") { Description = "Digits the caller presses: language then service, e.g. 21.", DefaultValueFactory = _ => "" };
        var lat = new Option<double?>("--lat") { Description = "Where the caller is: latitude (WGS 84), with --lon." };
        var lon = new Option<double?>("--lon") { Description = "Where the caller is: longitude (WGS 84), with --lat." };
        var accuracy = new Option<double?>("--accuracy") { Description = "Uncertainty radius of that location in metres." };
        var age = new Option<TimeSpan>("--age") { Description = "How old the fix is when the call is routed, e.g. 00:00:20.", DefaultValueFactory = _ => TimeSpan.Zero };
        var source = new Option<string>("--source") { Description = "Who reported it: aml, sip-pidf, sos-device or call-taker.", DefaultValueFactory = _ => "aml" };
        var command = new Command("explain", "Print the path a call would take.") { config, caller, dialed, digits, lat, lon, accuracy, age, source };
        command.SetAction(parse =>
        {
            try
            {
                var routing = EngineConfiguration.BindRouting(EngineConfiguration.Load(parse.GetValue(config)));
                var now = DateTimeOffset.UtcNow;
                var (location, problem) = ExplainLocation.From(parse.GetValue(lat), parse.GetValue(lon), parse.GetValue(accuracy), parse.GetValue(age), parse.GetValue(source)!, now);
                if (problem is not null)
                {
                    System.Console.Error.WriteLine("routing: " + problem);
                    return 2;
                }

                foreach (var line in CallExplainer.Explain(routing, parse.GetValue(caller)!, parse.GetValue(dialed)!, parse.GetValue(digits) ?? "", location, now))
                {
                    System.Console.WriteLine(line);
                }

                return 0;
            }
            catch (ConfigurationException ex)
            {
                System.Console.Error.WriteLine("routing: " + ex.Message);
                return 2;
            }
        });
        return command;
    }
}

/// <summary>The location options of <c>routing explain</c> as a <see cref="CallLocation"/>, or why they do not make one.</summary>
internal static class ExplainLocation
{
    public static (CallLocation? Location, string? Problem) From(double? lat, double? lon, double? accuracy, TimeSpan age, string source, DateTimeOffset now)
    {
        if (lat is null && lon is null) return (null, null);
        if (lat is null || lon is null) return (null, "--lat and --lon go together");
        if (!GeoPoint.TryCreate(lat.Value, lon.Value, out var point, out var error)) return (null, "--lat/--lon: " + error);
        if (accuracy is { } a && (!double.IsFinite(a) || a < 0)) return (null, "--accuracy must be metres, not negative");
        if (age < TimeSpan.Zero) return (null, "--age must not be negative");
        LocationSource? kind = source.Trim().ToLowerInvariant() switch
        {
            "aml" => LocationSource.Aml,
            "sip-pidf" or "sip" or "pidf" => LocationSource.SipPidfLo,
            "sos-device" or "sos" => LocationSource.SosDevice,
            "call-taker" or "calltaker" => LocationSource.CallTaker,
            _ => null,
        };
        if (kind is null) return (null, $"--source '{source}' is none of aml, sip-pidf, sos-device, call-taker");
        return (new CallLocation(kind.Value, now, now - age, point, accuracy, null, "explain", $"--lat {lat} --lon {lon}"), null);
    }
}
