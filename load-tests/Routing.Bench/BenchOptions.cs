using System.Globalization;
using Routing.Engine.Hosting;

namespace Routing.Bench;

/// <summary>The command line of <c>make bench ARGS=...</c>. Every load figure is bounded in count
/// (calls) and in time (wall-clock limit), so a run can never go on forever.</summary>
public sealed record BenchOptions
{
    public const string Usage = """
        usage: make bench [ARGS="options"]
          --quick               smoke run (~30 s): 200 calls per load run, short benchmark iterations
          --calls N             calls per load run (default 1000; --quick 200), 1..20000
          --rate R              call arrivals per second (default 50), 0.5..500
          --time-limit S        wall-clock limit of each load run in seconds (default: N/R + 45), 5..900
          --transport T         ARI REST transport of the in-process run: Http (default) or WebSocket
          --transport-rounds K  Http+WebSocket pairs in the comparison (default 2; --quick 1), 1..5
          --skip-micro          no BenchmarkDotNet micro-benchmarks
          --micro-category C    only the micro-benchmarks of category C (e.g. Ledger)
          --skip-load           no in-process load run
          --skip-transport      no Http-vs-WebSocket comparison (simulator in a child process)
          --skip-centre         no call-taker centre figures (pick at size, simulated city day)
          --skip-ledger         no evidence-ledger figures (hash chain + spool, replay; PostgreSQL too when ROUTING_TEST_POSTGRES is set)
          --alloc-report F      only summarise F, an allocation trace of a bench run (dotnet-trace, see load-tests/README.md), per component
          --alloc-per-call-kb K the run's "GC allocated per call, engine" in KB, to turn the shares into KB per call
          --help
        """;

    public bool Quick { get; init; }

    public int Calls { get; init; } = 1000;

    public double Rate { get; init; } = 50;

    public TimeSpan? TimeLimit { get; init; }

    public AriRestTransport Transport { get; init; } = AriRestTransport.Http;

    /// <summary>Calls before each measured load run (JIT tier-up, pools, caches): 150, or 40 with --quick.</summary>
    public int WarmUpCalls => Quick ? 40 : 150;

    /// <summary>Pairs of transport runs; two or more give the run-to-run spread the recommendation weighs.</summary>
    public int TransportRounds { get; init; } = 2;

    public bool Micro { get; init; } = true;

    /// <summary>Only the micro-benchmarks of this BenchmarkDotNet category (e.g. Ledger); null: all of them.</summary>
    public string? MicroCategory { get; init; }

    public bool Load { get; init; } = true;

    public bool TransportComparison { get; init; } = true;

    /// <summary>The call-taker centre's figures (in process, virtual time, no sockets).</summary>
    public bool Centre { get; init; } = true;

    public bool Ledger { get; init; } = true;

    public bool SimulatorHost { get; init; }

    public bool ShowHelp { get; init; }

    /// <summary>An EventPipe trace to summarise per component instead of running anything.</summary>
    public string? AllocationTrace { get; init; }

    public double? AllocatedKbPerCall { get; init; }

    /// <summary>The whole run's arrivals plus time for the last calls to finish.</summary>
    public TimeSpan EffectiveTimeLimit => TimeLimit ?? TimeSpan.FromSeconds(Calls / Rate + 45);

    /// <summary>The command line as typed, for the report and the README.</summary>
    public string CommandLine { get; init; } = "make bench";

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions { CommandLine = args.Count == 0 ? "make bench" : $"make bench ARGS=\"{string.Join(' ', args)}\"" };
        int? calls = null;
        int? rounds = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--quick": options = options with { Quick = true }; break;
                case "--skip-micro": options = options with { Micro = false }; break;
                case "--skip-load": options = options with { Load = false }; break;
                case "--skip-transport": options = options with { TransportComparison = false }; break;
                case "--skip-centre": options = options with { Centre = false }; break;
                case "--skip-ledger": options = options with { Ledger = false }; break;
                case "--simulator-host": options = options with { SimulatorHost = true }; break;
                case "--help" or "-h": options = options with { ShowHelp = true }; break;
                case "--calls": calls = (int)Number(args, ref i, 1, 20_000); break;
                case "--transport-rounds": rounds = (int)Number(args, ref i, 1, 5); break;
                case "--micro-category": options = options with { MicroCategory = Value(args, ref i) }; break;
                case "--alloc-report": options = options with { AllocationTrace = Value(args, ref i) }; break;
                case "--alloc-per-call-kb": options = options with { AllocatedKbPerCall = Number(args, ref i, 0.1, 100_000) }; break;
                case "--rate": options = options with { Rate = Number(args, ref i, 0.5, 500) }; break;
                case "--time-limit": options = options with { TimeLimit = TimeSpan.FromSeconds(Number(args, ref i, 5, 900)) }; break;
                case "--transport":
                    var value = Value(args, ref i);
                    options = options with
                    {
                        Transport = Enum.TryParse<AriRestTransport>(value, ignoreCase: true, out var transport) && Enum.IsDefined(transport)
                            ? transport
                            : throw new ArgumentException($"--transport '{value}': expected Http or WebSocket"),
                    };
                    break;
                default: throw new ArgumentException($"unknown option '{arg}'");
            }
        }

        return options with { Calls = calls ?? (options.Quick ? 200 : 1000), TransportRounds = rounds ?? (options.Quick ? 1 : 2) };
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count) throw new ArgumentException($"{args[i]} needs a value");
        return args[++i];
    }

    private static double Number(IReadOnlyList<string> args, ref int i, double min, double max)
    {
        var name = args[i];
        var text = Value(args, ref i);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value < min || value > max)
            throw new ArgumentException($"{name} '{text}': expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        return value;
    }
}
