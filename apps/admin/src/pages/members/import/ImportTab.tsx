import { ImportHistory } from './ImportHistory';
import { ImportSteps } from './ImportParts';
import { ImportUpload } from './ImportUpload';

/** Membres › Import, step 1: send a CSV / XLSX file; below, the previous imports. */
export function ImportTab() {
  return (
    <>
      <ImportSteps current="upload" />
      <ImportUpload />
      <ImportHistory />
    </>
  );
}
