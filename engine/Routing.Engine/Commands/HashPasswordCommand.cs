using System.CommandLine;
using Routing.Engine.SignIn;

namespace Routing.Engine.Commands;

/// <summary>`routing hash-password`: turns a console user's password (read from standard input, so it
/// is in no shell history and no process list) into the value for SignIn:Users:&lt;user&gt;:PasswordHash.</summary>
internal static class HashPasswordCommand
{
    public static Command Create()
    {
        var iterations = new Option<int>("--iterations") { Description = "PBKDF2-SHA256 iterations (stored in the value).", DefaultValueFactory = _ => PasswordHash.DefaultIterations };
        var command = new Command("hash-password", "Read a password from standard input and print its PBKDF2 hash for SignIn:Users:<user>:PasswordHash.")
        {
            iterations,
        };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(iterations);
            if (count < PasswordHash.MinIterations)
            {
                System.Console.Error.WriteLine($"hash-password: --iterations must be at least {PasswordHash.MinIterations}");
                return 2;
            }

            if (!System.Console.IsInputRedirected)
            {
                System.Console.Error.Write("Password: ");
            }

            var password = System.Console.In.ReadLine();
            if (string.IsNullOrEmpty(password))
            {
                System.Console.Error.WriteLine("hash-password: the password is empty (give it on standard input)");
                return 2;
            }

            System.Console.WriteLine(PasswordHash.Create(password, count));
            return 0;
        });
        return command;
    }
}
