/** The error of an artifact that cannot be loaded (src/compiler/artifact.ts), with a stable code saying why. */
export type ArtifactErrorCode =
  /** Not an artifact at all (no SGMA header). */
  | 'NOT_AN_ARTIFACT'
  /** Written for another artifact or program format: recompile. */
  | 'ARTIFACT_VERSION'
  /** Truncated, or its metadata or program do not match their checksums. */
  | 'ARTIFACT_CORRUPT'
  /** Its correlation section is truncated, does not match its checksum, or holds a correlation that does not load. */
  | 'ARTIFACT_CORRELATIONS'
  /** The run needs a field the artifact's program does not extract (a time field not given when compiling). */
  | 'ARTIFACT_FIELDS';

export class ArtifactError extends Error {
  constructor(
    message: string,
    readonly code: ArtifactErrorCode,
  ) {
    super(message);
    this.name = 'ArtifactError';
  }
}
