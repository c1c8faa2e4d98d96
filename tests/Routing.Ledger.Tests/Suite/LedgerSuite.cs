using Routing.Calls.Ports;
using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests.Suite;

/// <summary>
/// The ledger's behaviour, written once and run against every provider that has a real server here:
/// <see cref="SqliteLedgerTests"/> always, <see cref="PostgresLedgerTests"/> when ROUTING_TEST_POSTGRES
/// is set (and required under CI=true). Each test gets its own empty database.
/// </summary>
public abstract partial class LedgerSuite : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    private readonly List<Ledger> opened = [];

    protected LedgerTestDatabase Database { get; private set; } = null!;

    internal RecordingLoggerFactory Logs { get; } = new();

    protected abstract Task<LedgerTestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync() => Database = await CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var ledger in opened)
        {
            await ledger.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    protected async Task<Ledger> OpenAsync(Action<LedgerOptions>? adjust = null, TimeProvider? timeProvider = null)
    {
        var ledger = await LedgerFactory.CreateAsync(Database.Options(adjust), Logs, timeProvider ?? TimeProvider.System, CancellationToken.None);
        opened.Add(ledger);
        return ledger;
    }

    protected static async Task AllWrittenAsync(Ledger ledger, TimeSpan? timeout = null)
    {
        try
        {
            // timeout: how long the journal may commit nothing before the wait gives up, not how long all of it may take.
            await Eventually.TrueWhileProgressingAsync(() => ledger.Journal.Stats.Pending == 0, () => ledger.Journal.Stats.Written + ledger.Journal.Stats.Rejected + ledger.Journal.Stats.Abandoned,
                "every accepted ledger record committed", timeout ?? TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; journal: {ledger.Journal.Stats}", ex);
        }
    }

    // Instants carry microseconds (not 100 ns ticks): that is the precision every provider stores.
    protected static CallRecord Call(string callId, int second = 0, string? callerChannelId = null) =>
        new(callId, callerChannelId ?? "1732417200." + callId, "+77011234567", "112", "112", T0.AddSeconds(second).AddTicks(1_230));

    protected static LegRecord Leg(string callId, string legId, int attempt = 1) =>
        new(legId, callId, "leg-" + legId, "fire", "almaty", "fire-almaty-1", "PJSIP/fire-almaty", attempt, T0.AddSeconds(5 + attempt));

    protected static CallEventRecord Event(string callId, string kind, string detail, int second = 1, string? legId = null) =>
        new(callId, legId, T0.AddSeconds(second).AddTicks(40), kind, detail);

    protected static CallEventRecord Outcome(string callId, string outcome, int second = 60) =>
        Event(callId, LedgerEventKinds.Outcome, outcome, second);
}

public sealed class SqliteLedgerTests : LedgerSuite
{
    protected override Task<LedgerTestDatabase> CreateDatabaseAsync() => Task.FromResult<LedgerTestDatabase>(new SqliteTestDatabase());
}

[UsesPostgres]
public sealed class PostgresLedgerTests : LedgerSuite
{
    protected override async Task<LedgerTestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
