/**
 * {@code driftwarden demo}: the whole story in one command, with no cluster — a sandbox API server, a temporary Git
 * repository holding {@code examples/guestbook}, a first run that creates everything, hand edits, a second run that
 * corrects them, a third that has nothing to do, and a CSV report from the default audit store.
 */
package io.driftwarden.cron.demo;
