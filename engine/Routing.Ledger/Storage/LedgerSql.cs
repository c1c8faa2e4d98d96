using System.Text;

namespace Routing.Ledger.Storage;

/// <summary>Naming rule shared by every dialect: column <c>caller_channel_id</c> binds parameter
/// <c>CallerChannelId</c>, so parameter objects are ordinary C# types.</summary>
internal static class LedgerSql
{
    public static string ParameterName(string column)
    {
        var builder = new StringBuilder(column.Length);
        var upper = true;
        foreach (var c in column)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }
}
