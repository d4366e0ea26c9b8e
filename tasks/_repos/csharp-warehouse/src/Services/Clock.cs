using System;

namespace Warehouse.Services
{
    /// <summary>Time source for timestamps; swapped out in tests.</summary>
    public interface IClock
    {
        DateTime UtcNow { get; }
    }

    public sealed class SystemClock : IClock
    {
        public DateTime UtcNow { get { return DateTime.UtcNow; } }
    }
}
