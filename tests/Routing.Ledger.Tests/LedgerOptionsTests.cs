namespace Routing.Ledger.Tests;

public sealed class LedgerOptionsTests
{
    [Fact]
    public void Defaults_are_a_local_sqlite_file_and_a_quarter_second_bound()
    {
        var options = new LedgerOptions();

        Assert.Equal("sqlite", options.Provider);
        Assert.Equal("Data Source=var/ledger.db", options.ConnectionString);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.WriteBeforeActTimeout);
        Assert.Equal(100_000, options.QueueCapacity);
        Assert.Equal(256, options.MaxBatch);
        Assert.Equal("Ledger", LedgerOptions.SectionName);
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("SQLServer")]
    [InlineData("SQLite")]
    public void Known_providers_are_accepted_in_any_case(string provider) =>
        Assert.Empty(new LedgerOptions { Provider = provider }.Validate());

    [Fact]
    public void Every_problem_is_reported_with_its_key()
    {
        var options = new LedgerOptions
        {
            Provider = "oracle",
            ConnectionString = " ",
            WriteBeforeActTimeout = TimeSpan.Zero,
            QueueCapacity = 0,
            MaxBatch = -1,
            NodeId = "",
        };

        var errors = options.Validate();

        Assert.Contains(errors, e => e.StartsWith("Ledger:Provider 'oracle' is unknown", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ledger:ConnectionString is empty", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ledger:WriteBeforeActTimeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ledger:QueueCapacity", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ledger:MaxBatch", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ledger:NodeId", StringComparison.Ordinal));
        var thrown = Assert.Throws<InvalidOperationException>(options.ThrowIfInvalid);
        Assert.Contains("Ledger:Provider", thrown.Message);
    }

    [Fact]
    public void A_timeout_so_long_that_callers_would_wait_on_the_database_is_refused()
    {
        var errors = new LedgerOptions { WriteBeforeActTimeout = TimeSpan.FromMinutes(1) }.Validate();

        Assert.Contains("Ledger:WriteBeforeActTimeout", Assert.Single(errors));
    }

    [Theory]
    [InlineData("Host=db;Username=routing;Password=s3cret;Database=ledger", "Host=db;Username=routing;Password=***;Database=ledger")]
    [InlineData("Server=sql;User Id=sa;PWD=s3cret", "Server=sql;User Id=sa;PWD=***")]
    [InlineData("Host=db; password = s3cret ;Database=x", "Host=db; password=***;Database=x")]
    [InlineData("Server=sql;Password=\"s3;cr\"\"et\";Database=x", "Server=sql;Password=***;Database=x")]
    [InlineData("Server=sql;Pwd='s3;cret'", "Server=sql;Pwd=***")]
    [InlineData("Data Source=var/ledger.db", "Data Source=var/ledger.db")]
    public void Passwords_never_appear_in_the_text_form(string connectionString, string masked)
    {
        var text = new LedgerOptions { Provider = "postgres", ConnectionString = connectionString }.ToString();

        Assert.Contains($"ConnectionString={masked},", text);
        Assert.DoesNotContain("s3", text);
    }
}
