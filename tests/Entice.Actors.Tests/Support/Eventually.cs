namespace Entice.Tests.Support;

internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 100 ms for up to 5 s (or <paramref name="within"/>); fails the test if it never holds.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        for (var i = 0; i < (within ?? TimeSpan.FromSeconds(5)).TotalMilliseconds / 100; i++)
        {
            if (await condition())
                return;
            await Task.Delay(100);
        }
        Assert.Fail("condition never held");
    }
}
