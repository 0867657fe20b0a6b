using Npgsql;

namespace Entice.Server.Store;

/// <summary>The store's PostgreSQL connection string as it may be shown: never with its password.</summary>
public static class StoreConnection
{
    public static string Redacted(string connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
            return "";
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!string.IsNullOrEmpty(builder.Password))
                builder.Password = "(hidden)";
            return builder.ToString();
        }
        catch (ArgumentException)
        {
            return "(a connection string that does not parse)";
        }
    }
}
