using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Entice.Benchmarks -- --filter '*'   (add --job short for a quick run)
// dotnet run -c Release --project tests/Entice.Benchmarks -- footprint      (live heap per idle actor)
// dotnet run -c Release --project tests/Entice.Benchmarks -- crypto-profile (issue 17: where encrypt + decrypt spends its time)
// dotnet run -c Release --project tests/Entice.Benchmarks -- ratchet-vector (issue 17: the frozen SessionBook vector of SessionBookVectorSpecs)
// dotnet run -c Release --project tests/Entice.Benchmarks -- flood          (issue 10: forged session starts, victim CPU)
// dotnet run -c Release --project tests/Entice.Benchmarks -- room-send      (issue 12: sender's cost per room message, rooms of 2/10/100)
// dotnet run -c Release --project tests/Entice.Benchmarks -- clients        (issues 12, 17: real client stacks in rooms of 2, 10, 100)
if (args is ["room-send"])
{
    Entice.Benchmarks.RoomSend.Run();
    return;
}
if (args is ["clients", ..])
{
    Environment.ExitCode = await Entice.Benchmarks.ClientBench.RunAsync(args);
    return;
}
if (args is ["flood"])
{
    Entice.Benchmarks.Flood.Run();
    return;
}
if (args is ["crypto-profile"])
{
    Entice.Benchmarks.CryptoProfile.Run();
    return;
}
if (args is ["crypto-profile", "loop", var seconds])
{
    Entice.Benchmarks.CryptoProfile.Run(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}
if (args is ["ratchet-vector"])
{
    Entice.Benchmarks.RatchetVector.Run();
    return;
}
if (args is ["footprint"])
{
    Entice.Benchmarks.Footprint.Run();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Entice.Benchmarks.CodecBenchmarks).Assembly).Run(args);
