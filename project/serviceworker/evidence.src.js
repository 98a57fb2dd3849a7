// The inspector's evidence on the device (issue 16, item 4): pica resizes a photo before it is sent or kept
// offline, signature_pad draws the factory representative's and the inspector's signatures. Both from the npm
// registry (pinned by package-lock.json), bundled by `make pwa` (build.mjs) into
// templates/static/kamkap/js/evidence.js as one classic script that sets window.KamkapEvidence;
// templates/static/kamkap/js/checklist.js and offline/app.js use it. pica's main build without its web
// worker: the Content Security Policy allows no blob: worker, and its wasm would need 'wasm-unsafe-eval'.
import createPica from "pica/pica_main";
import SignaturePad from "signature_pad";

let resizer = null;

// A photo as a JPEG whose longer side is at most `longest` px (a smaller photo keeps its size), turned as the
// camera held it. Resolves to a Blob.
async function resizePhoto(file, longest, quality) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, longest / Math.max(bitmap.width, bitmap.height));
  const to = document.createElement("canvas");
  to.width = Math.max(1, Math.round(bitmap.width * scale));
  to.height = Math.max(1, Math.round(bitmap.height * scale));
  resizer = resizer || createPica({ features: ["js"] });
  await resizer.resize(bitmap, to);
  if (bitmap.close) bitmap.close();
  return resizer.toBlob(to, "image/jpeg", quality);
}

self.KamkapEvidence = { resizePhoto, SignaturePad };
