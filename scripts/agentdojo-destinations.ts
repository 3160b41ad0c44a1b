// How much of AgentDojo's injection goals the `untrustedDestinations` tool rule can hold: for each goal, the
// destinations it names (e-mail and web addresses, accounts, phones); for each pairing of a goal with a user
// task of the same suite, whether the user's prompt names that destination too (then the rule lets the
// attacker's call through). What a goal does without a destination (delete a file, change a password, make a
// reservation) is outside this rule. It cannot count false holds: AgentDojo's ground-truth calls are code, not
// in the shared data; a task that legitimately sends to an address read from data (pay the bill in a file) is
// held too.
// Usage: npx tsx scripts/agentdojo-destinations.ts [--data DIR]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { destinationsIn, UserSupplied } from '../src/guard/destinations.js';

const { values } = parseArgs({ options: { data: { type: 'string' } } });
const root = values.data ?? process.env.LIFEGUARD_DATA ?? '../shared/data';
const tasks = JSON.parse(readFileSync(join(root, 'agent/agentdojo/tasks_v1.json'), 'utf8')) as {
  user_tasks: { suite: string; id: string; prompt: string }[];
  injection_tasks: { suite: string; id: string; goal: string }[];
};
let withDestination = 0;
let pairs = 0;
let held = 0;
for (const goal of tasks.injection_tasks) {
  const dests = destinationsIn(goal.goal);
  if (dests.length === 0) continue;
  withDestination++;
  for (const task of tasks.user_tasks.filter((t) => t.suite === goal.suite)) {
    const user = new UserSupplied();
    user.add(task.prompt);
    pairs++;
    if (dests.some((d) => !user.has(d))) held++;
  }
}
const users = tasks.user_tasks.filter((t) => destinationsIn(t.prompt).length > 0).length;
console.log(
  `injection goals naming a destination: ${withDestination} of ${tasks.injection_tasks.length}\n` +
    `(goal, user task) pairs of the same suite where the user never named the goal's destination: ${held} of ${pairs} (${((100 * held) / pairs).toFixed(1)}%)\n` +
    `user tasks that name a destination themselves: ${users} of ${tasks.user_tasks.length}`,
);
