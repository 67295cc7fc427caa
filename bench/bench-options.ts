export interface BenchOptions {
  /** Seconds per measured round. */
  duration: number;
  rounds: number;
  /** Scenario numbers to run (1..5). */
  only: number[];
  users: number;
  leaderboardUsers: number;
  purchaseEvents: number;
}

const USAGE = `usage: npm run bench -- [--duration 6] [--rounds 3] [--only 1,2,3,4,5,6] [--users 100000] [--leaderboard-users 1000000] [--purchase-events 10000]`;

export function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    duration: 6,
    rounds: 3,
    only: [1, 2, 3, 4, 5, 6],
    users: 100_000,
    leaderboardUsers: 1_000_000,
    purchaseEvents: 10_000,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const positive = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer\n${USAGE}`);
      i++;
      return n;
    };
    switch (flag) {
      case '--duration': options.duration = positive(); break;
      case '--rounds': options.rounds = positive(); break;
      case '--users': options.users = positive(); break;
      case '--leaderboard-users': options.leaderboardUsers = positive(); break;
      case '--purchase-events': options.purchaseEvents = positive(); break;
      case '--only': {
        const list = (value ?? '').split(',').map(Number);
        if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 6)) throw new Error(`--only takes scenario numbers 1..6\n${USAGE}`);
        options.only = list;
        i++;
        break;
      }
      case '--help': throw new Error(USAGE);
      default: throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return options;
}
