/** OpenPGP keyrings the config names, read with BouncyCastle (never the machine's GnuPG keys). */
package io.driftwarden.jobs.pgp;
