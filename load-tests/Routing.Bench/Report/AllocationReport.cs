using System.Text;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using static Routing.Bench.Report.Figures;

namespace Routing.Bench.Report;

/// <summary>
/// Where a routed call's bytes go, per component, from an EventPipe trace of the bench process taken
/// with the runtime's allocation ticks (<c>dotnet-trace collect -p PID --providers
/// Microsoft-Windows-DotNETRuntime:0x1:5</c>; one event per ~100 KB allocated, with the type and the
/// stack). Each sample goes to the component of the innermost frame that names one (an allocation
/// inside Dapper called by the ledger is the ledger's, a JSON reader inside the ARI REST client is
/// REST's). The bench's own frames (load driver, /proc sampling, reading the ledger back after the run)
/// are left out, so the shares are of the engine's bytes; multiplied by the run's "GC allocated per
/// call" they give KB per call. Sampled, so a component under ~1 % is noise.
/// </summary>
public static class AllocationReport
{
    /// <summary>Frame prefixes, matched innermost first; the first that matches names the component.</summary>
    private static readonly (string Prefix, string Component)[] Rules =
    [
        ("Routing.Bench.", Bench),
        ("Microsoft.Extensions.Logging", "logging"),
        ("Routing.Engine.Logging", "logging"),
        ("Prometheus.", "metrics"),
        ("Routing.Engine.Metrics", "metrics"),
        ("Routing.Asterisk.Ari.AriEventParser", "ARI event parsing (JSON -> records)"),
        ("Routing.Asterisk.Ari.AriJsonContext", "ARI event parsing (JSON -> records)"),
        ("Routing.Asterisk.Ari.AriTimestampConverter", "ARI event parsing (JSON -> records)"),
        ("Routing.Asterisk.Ari.AriRestClient", "ARI REST requests (HTTP or over the websocket)"),
        ("Routing.Asterisk.Ari.AriHttpTransport", "ARI REST requests (HTTP or over the websocket)"),
        ("Routing.Asterisk.Ari.AriQuery", "ARI REST requests (HTTP or over the websocket)"),
        ("Routing.Asterisk.Ari.AriEventStream+<SendAsync", "ARI REST requests (HTTP or over the websocket)"),
        ("Routing.Asterisk.Ari.AriEventStream.SendAsync", "ARI REST requests (HTTP or over the websocket)"),
        ("Routing.Asterisk.Ari.AriEventStream", "ARI websocket receive"),
        ("System.Net.Http.", "ARI REST requests (HTTP or over the websocket)"),
        ("System.Net.WebSockets.", "ARI websocket receive"),
        ("Routing.Asterisk.Ami", "AMI observation"),
        ("Routing.Ledger.Spool", "ledger: spool (write-ahead file)"),
        ("Routing.Ledger.Chain", "ledger: hash chain"),
        ("Microsoft.Data.Sqlite", "ledger: database writes (SQLite)"),
        ("SQLitePCL", "ledger: database writes (SQLite)"),
        ("Dapper.", "ledger: database writes (SQLite)"),
        ("Routing.Ledger.Writing.RowInserter", "ledger: database writes (SQLite)"),
        ("Routing.Ledger", "ledger: journal (records, write-before-act waits)"),
        ("Routing.Calls.CallTimers", "call timers"),
        // Stateless and its per-call configuration: traces taken before the shared table replaced it.
        ("Stateless.", "call state machine"),
        ("Routing.Calls.Call.ConfigureMachine", "call state machine"),
        ("Routing.Calls.Call.ConfigureDialingState", "call state machine"),
        ("Routing.Calls.CallMachine", "call state machine"),
        ("Routing.Calls.Call.FireAsync", "call state machine"),
        ("Routing.Calls.Call+<FireAsync>", "call state machine"),
        ("Routing.Calls.Call.FireOneAsync", "call state machine"),
        ("Routing.Calls.Call.TransitionAsync", "call state machine"),
        ("Routing.Calls.Call+<TransitionAsync>", "call state machine"),
        ("Routing.Calls", "call logic (Routing.Calls)"),
        ("Routing.Engine.Calls", "engine: ARI events -> calls, telephony adapter"),
        ("Routing.Engine", "engine: other (admin API, notifications, overload, centre)"),
        ("Microsoft.AspNetCore", "engine: other (admin API, notifications, overload, centre)"),
        ("System.Threading.TimerQueue", "call timers"),
    ];

    private const string Bench = "bench driver (left out)";
    private const string Runtime = "runtime, no component frame (async continuations, thread pool, GC)";

    public static string Write(string tracePath, long? bytesPerCall)
    {
        var components = new Dictionary<string, double>(StringComparer.Ordinal);
        var types = new Dictionary<string, double>(StringComparer.Ordinal);
        double total = 0;
        var samples = 0;
        var etlx = TraceLog.CreateFromEventPipeDataFile(tracePath);
        try
        {
            using var log = new TraceLog(etlx);
            foreach (var e in log.Events)
            {
                if (e is not GCAllocationTickTraceData tick) continue;
                var component = ComponentOf(e.CallStack());
                var bytes = (double)tick.AllocationAmount64;
                components[component] = components.GetValueOrDefault(component) + bytes;
                if (component == Bench) continue;
                total += bytes;
                samples++;
                var type = $"{tick.TypeName} ({component})";
                types[type] = types.GetValueOrDefault(type) + bytes;
            }
        }
        finally
        {
            File.Delete(etlx);
        }

        if (samples == 0) throw new InvalidOperationException($"{tracePath}: no GCAllocationTick events (collect with --providers Microsoft-Windows-DotNETRuntime:0x1:5)");
        var text = new StringBuilder();
        text.AppendLine($"== Allocations per component ({Path.GetFileName(tracePath)}: {samples} samples, {Mb((long)total)} of the engine's bytes; bench frames left out) ==");
        var table = new TextTable("component", "share of the engine's bytes", bytesPerCall is null ? "per call (give --alloc-per-call-kb)" : "per call");
        foreach (var (component, bytes) in components.Where(c => c.Key != Bench).OrderByDescending(c => c.Value))
            table.Row(component, N(bytes / total * 100, "0.0") + " %", bytesPerCall is { } perCall ? Kb((long)(perCall * bytes / total)) : "-");
        text.Append(table);
        text.AppendLine();
        var top = new TextTable("type allocated (component)", "share");
        foreach (var (type, bytes) in types.OrderByDescending(t => t.Value).Take(15))
            top.Row(type, N(bytes / total * 100, "0.0") + " %");
        text.Append(top);
        return text.ToString();
    }

    private static string ComponentOf(TraceCallStack? stack)
    {
        for (var frame = stack; frame is not null; frame = frame.Caller)
        {
            var method = frame.CodeAddress.FullMethodName;
            if (string.IsNullOrEmpty(method)) continue;
            foreach (var (prefix, component) in Rules)
            {
                if (method.StartsWith(prefix, StringComparison.Ordinal)) return component;
            }
        }

        return Runtime;
    }
}
