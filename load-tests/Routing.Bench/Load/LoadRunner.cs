using System.Diagnostics;
using System.Globalization;
using Routing.Engine.Hosting;
using Routing.Simulator;

namespace Routing.Bench.Load;

/// <summary>
/// One bounded load run: simulator and engine on loopback, a short warm-up, then
/// <see cref="LoadRunSpec.Calls"/> callers arriving at a fixed rate, all within
/// <see cref="LoadRunSpec.TimeLimit"/> of wall-clock time. Whatever is not over by then is reported
/// as lost or stuck, never waited for.
/// </summary>
public static class LoadRunner
{
    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(15);

    public static async Task<LoadResult> RunAsync(LoadRunSpec spec, CancellationToken cancellationToken)
    {
        Progress($"{spec.Name}: starting the simulator ({(spec.SimulatorInChild ? "child process" : "in process")}) and the engine (REST over {spec.Transport})");
        await using ISimulatorLink simulator = spec.SimulatorInChild
            ? await ChildSimulator.StartAsync(cancellationToken)
            : await InProcessSimulator.StartAsync(cancellationToken);

        if (spec.Transport == AriRestTransport.WebSocket
            && await RestOverWebSocketProbe.WhyUnsupportedAsync(simulator.Address, cancellationToken) is { } why)
        {
            Progress($"{spec.Name}: not run: {why}");
            return new LoadResult { Spec = spec, Placement = simulator.Placement, NotRun = $"not supported by the simulator ({why})" };
        }

        await using var engine = await EngineUnderTest.StartAsync(simulator.Address, spec.Transport, cancellationToken);
        await WaitUntilAsync(async () => (await simulator.CountersAsync(cancellationToken)).ConnectedEventSockets > 0, ConnectLimit,
            "the engine's ARI websocket to connect", cancellationToken);

        Progress($"{spec.Name}: warm-up, {spec.WarmUpCalls} calls");
        var warmUp = await PlaceAllAsync(simulator, new LoadMix(spec.Seed + 1).Take(spec.WarmUpCalls, firstSeq: 1_000_000), spec.Rate, WarmUpLimit, cancellationToken);
        await Task.WhenAll(warmUp.Placed.Select(p => p.Ended)).WaitAsync(WarmUpLimit, cancellationToken);
        await WaitForIdleAsync(engine, TimeSpan.FromSeconds(10), cancellationToken);

        var calls = new LoadMix(spec.Seed).Take(spec.Calls);
        var meter = new ProcessMeter(simulator.ChildProcess);
        using var sampling = new CancellationTokenSource();
        var sampler = meter.SampleAsync(sampling.Token);
        var startCounters = await simulator.CountersAsync(cancellationToken);
        var startLedger = engine.Engine.Journal.Stats;
        var startEngine = await EngineCounters.ScrapeAsync(engine.AdminUrl, cancellationToken);
        var start = meter.Read();
        var started = Stopwatch.GetTimestamp();
        var deadline = spec.TimeLimit;

        Progress($"{spec.Name}: {spec.Calls} calls at {spec.Rate.ToString("0.#", CultureInfo.InvariantCulture)}/s, limit {deadline.TotalSeconds:0} s");
        var placing = await PlaceAllAsync(simulator, calls, spec.Rate, deadline, cancellationToken);
        var lastEnd = new LastEnd();
        var ends = placing.Placed.Select(p => p.Ended.ContinueWith(t => lastEnd.Mark(), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)).ToArray();
        await WhenAllWithin(ends, deadline - Stopwatch.GetElapsedTime(started), cancellationToken);
        var idle = await WaitForIdleAsync(engine, Max(deadline - Stopwatch.GetElapsedTime(started), TimeSpan.FromSeconds(5)), cancellationToken);
        var measuredFor = Stopwatch.GetElapsedTime(started);

        var end = meter.Read();
        var endCounters = await simulator.CountersAsync(cancellationToken);
        var endLedger = engine.Engine.Journal.Stats;
        var endEngine = await EngineCounters.ScrapeAsync(engine.AdminUrl, cancellationToken);
        await sampling.CancelAsync();
        await sampler;

        Progress($"{spec.Name}: reading the ledger");
        var records = await LedgerAnalysis.ReadAsync(engine.Engine.Ledger, placing.Placed.Select(p => p.ChannelId).ToList(), cancellationToken);
        var (lost, lostCount) = LoadVerdict.Lost(placing, records, engine.Engine.Calls.Count, idle);
        var (unexpected, unexpectedCount) = LoadVerdict.Unexpected(placing.Placed, records);

        return new LoadResult
        {
            Spec = spec,
            Placement = simulator.Placement,
            Placed = placing.Placed.Count,
            Ended = placing.Placed.Count(p => p.Ended.IsCompletedSuccessfully),
            Kinds = LoadVerdict.Tally(placing.Placed, records),
            Lost = lost,
            LostCount = lostCount,
            Unexpected = unexpected,
            UnexpectedCount = unexpectedCount,
            UnexpectedBusyRoutes = LoadVerdict.BusyMisrouted(placing.Placed, records),
            ArrivalSpan = placing.Span,
            Window = lastEnd.Since(started),
            MeasuredFor = measuredFor,
            AnswerLatency = LoadVerdict.Latencies(placing.Placed, records),
            AnswerSamples = LoadVerdict.AnswerSamples(placing.Placed, records),
            DirectAnswerSamples = LoadVerdict.AnswerSamples(placing.Placed, records, LoadCallKind.Direct),
            Simulator = endCounters.Since(startCounters),
            EngineProcessCpu = end.Cpu - start.Cpu,
            SimulatorProcessCpu = end.ChildCpu - start.ChildCpu,
            AllocatedBytes = end.AllocatedBytes - start.AllocatedBytes,
            PeakWorkingSet = meter.PeakWorkingSet,
            SimulatorPeakWorkingSet = meter.ChildPeakWorkingSet,
            LedgerLate = endLedger.Late - startLedger.Late,
            LedgerFailures = endLedger.Failures - startLedger.Failures,
            LedgerQueueFull = endLedger.QueueFull - startLedger.QueueFull,
            EngineCounters = endEngine.Since(startEngine),
            EngineWarnings = engine.Warnings.Warnings,
            EngineErrors = engine.Warnings.Errors,
            FirstWarnings = engine.Warnings.First,
        };
    }

    /// <summary>Places callers at a fixed rate (call i is due i/rate seconds after the first); stops
    /// placing when <paramref name="limit"/> has passed.</summary>
    private static async Task<Placing> PlaceAllAsync(ISimulatorLink simulator, IReadOnlyList<LoadCall> calls, double rate, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var placing = new List<Task<(LoadCall Call, PlacedCall? Placed, string? Error)>>(calls.Count);
        var lastArrival = TimeSpan.Zero;
        foreach (var call in calls)
        {
            var due = TimeSpan.FromSeconds(placing.Count / rate);
            var wait = due - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
            lastArrival = Stopwatch.GetElapsedTime(started);
            if (lastArrival > limit) break;
            placing.Add(PlaceOneAsync(simulator, call, cancellationToken));
        }

        var results = await Task.WhenAll(placing);
        var failed = results.Where(r => r.Placed is null).Select(r => (r.Call, r.Error ?? "not placed")).ToList();
        failed.AddRange(calls.Skip(results.Length).Select(c => (c, $"not placed: the {limit.TotalSeconds:0} s limit passed during arrivals")));
        return new Placing(results.Where(r => r.Placed is not null).Select(r => r.Placed!).ToList(), failed, lastArrival);
    }

    private static async Task<(LoadCall, PlacedCall?, string?)> PlaceOneAsync(ISimulatorLink simulator, LoadCall call, CancellationToken cancellationToken)
    {
        try
        {
            return (call, await simulator.PlaceAsync(call, cancellationToken), null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or ArgumentException)
        {
            return (call, null, $"could not be placed: {ex.Message}");
        }
    }

    private static async Task WhenAllWithin(Task[] tasks, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (limit <= TimeSpan.Zero) return;
        try
        {
            await Task.WhenAll(tasks).WaitAsync(limit, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Reported call by call as still up in the simulator.
        }
    }

    /// <summary>True once the engine holds no live call and the ledger has nothing pending.</summary>
    private static async Task<bool> WaitForIdleAsync(EngineUnderTest engine, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            await WaitUntilAsync(() => Task.FromResult(engine.Engine.Calls.Count == 0 && engine.Engine.Journal.Stats.Pending == 0),
                limit, "the engine to finish its calls and flush the ledger", cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > limit)
                throw new TimeoutException($"timed out after {limit.TotalSeconds:0.#} s waiting for {what}");
            await Task.Delay(20, cancellationToken);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static void Progress(string line) => Console.Error.WriteLine("bench: " + line);

    /// <summary>When the last caller's channel was gone (a Stopwatch timestamp).</summary>
    private sealed class LastEnd
    {
        private long last;

        public void Mark()
        {
            var now = Stopwatch.GetTimestamp();
            long seen;
            while (now > (seen = Interlocked.Read(ref last)) && Interlocked.CompareExchange(ref last, now, seen) != seen)
            {
            }
        }

        public TimeSpan Since(long started)
        {
            var at = Interlocked.Read(ref last);
            return at == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started, at);
        }
    }
}
