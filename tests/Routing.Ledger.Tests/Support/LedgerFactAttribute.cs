using Xunit.Abstractions;
using Xunit.Sdk;

namespace Routing.Ledger.Tests.Support;

/// <summary>Marks a test class whose tests need the PostgreSQL test server.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class UsesPostgresAttribute : Attribute;

/// <summary>
/// A fact of the shared ledger suite. It runs for every provider class that inherits the suite; in a
/// class marked <see cref="UsesPostgresAttribute"/> it is skipped exactly as <see cref="PostgresFactAttribute"/> is.
/// (A plain Skip on the attribute cannot vary by derived class, hence the discoverer.)
/// </summary>
[XunitTestCaseDiscoverer("Routing.Ledger.Tests.Support.LedgerFactDiscoverer", "Routing.Ledger.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class LedgerFactAttribute : FactAttribute;

/// <summary>A PostgreSQL-only fact: skipped with a reason when ROUTING_TEST_POSTGRES is unset and
/// CI is not true; under CI=true it runs, and fails saying .ci/run should have started PostgreSQL.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresTestServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

public sealed class LedgerFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new LedgerTestCase(
            diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

public sealed class LedgerTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public LedgerTestCase()
    {
    }

    public LedgerTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod)
        : base(diagnosticMessageSink, display, options, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute)
    {
        var declared = base.GetSkipReason(factAttribute);
        if (declared is not null)
        {
            return declared;
        }

        var usesPostgres = TestMethod.TestClass.Class.GetCustomAttributes(typeof(UsesPostgresAttribute)).Any();
        return usesPostgres ? PostgresTestServer.SkipReason! : null!;
    }
}
