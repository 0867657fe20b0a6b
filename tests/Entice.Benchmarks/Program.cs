using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Entice.Benchmarks -- --filter '*'   (add --job short for a quick run)
BenchmarkSwitcher.FromAssembly(typeof(Entice.Benchmarks.CodecBenchmarks).Assembly).Run(args);
