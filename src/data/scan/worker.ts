import { parentPort, workerData } from 'node:worker_threads';
import { serveTasks } from './pool.js';
import { createTaskHandler, type WorkerInit } from './tasks.js';

// One scan worker: builds its detectors, quality rules and sketcher once, then answers batches.
if (parentPort) serveTasks(parentPort, createTaskHandler(workerData as WorkerInit));
