/**
 * Compliance reports exported from the audit table. The CSV columns are a documented contract (README,
 * "Report columns"); a report with no filter covers every row.
 */
package io.driftwarden.audit.report;
