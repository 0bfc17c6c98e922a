// The TypeScript side of the model engine: what the core, the CLI and the native engine's tests
// import. Everything here runs under plain Node (no Electron), synchronously on small inputs;
// long work belongs in a worker.
export { normalizeModelConfig, readModelConfig, ModelConfigError, type ModelSpec, type RopeScalingLlama3 } from './modelConfig';
export { inspectModel, type ModelInspection } from './inspectModel';
export { checkModelWeights } from './checkModelWeights';
export { modelTensorShapes } from './modelTensorShapes';
export { modelSpecWithFiles } from './modelSpecWithFiles';
export { exportHfModel, type ExportHfOptions } from './exportHfModel';
export type { Tensor } from './tensor';

export { SafetensorsFile } from './safetensors/SafetensorsFile';
export { SafetensorsError, type SafetensorsErrorCode } from './safetensors/SafetensorsError';
export { openModelWeights, ModelWeights } from './safetensors/openModelWeights';
export { writeSafetensors, encodeSafetensors } from './safetensors/writeSafetensors';
export { writeShardedSafetensors } from './safetensors/writeShardedSafetensors';
export { f16BitsToF32, f32ToF16Bits, bf16BitsToF32, f32ToBf16Bits, roundTripFloat } from './safetensors/convertDtype';

export { Tokenizer, type TokenizerKind } from './tokenizer/Tokenizer';
export { TokenizerError } from './tokenizer/TokenizerError';
export { DecodeStream } from './tokenizer/DecodeStream';
export { renderChatTemplate, readTokenizerConfig, chatTemplateOf, type ChatMessage } from './tokenizer/renderChatTemplate';
export { trainByteLevelBpe, BPE_EOS, CHATML_START, CHATML_END, CHATML_TEMPLATE, type TrainByteLevelBpeOptions, type TrainedByteLevelBpe } from './tokenizer/trainByteLevelBpe';

export { referenceForward } from './reference/referenceForward';
export { referenceGenerate, referenceLogitsSource } from './reference/referenceGenerate';
export { generate, type LogitsSource, type GenerateOptions, type GenerateResult, type GeneratedToken } from './generate';
export { nativeLogitsSource } from './nativeLogitsSource';
export { generateBatch, type BatchLogitsSource } from './generateBatch';
export { nativeBatchLogitsSource } from './nativeBatchLogitsSource';
export { loadReferenceModel, referenceModelFromWeights, type ReferenceModel } from './reference/ReferenceModel';

export { sampleToken, logSoftmax, processLogits, type SamplingParams, type TokenChoice } from './sampling/sampleToken';
export { Xoshiro128 } from './sampling/Xoshiro128';

export { loraScaling, type LoraAdapter, type LoraConfig, type LoraPair } from './peft/LoraAdapter';
export { createLoraAdapter } from './peft/createLoraAdapter';
export { savePeftAdapter } from './peft/savePeftAdapter';
export { loadPeftAdapter } from './peft/loadPeftAdapter';
export { mergeLoraAdapter } from './peft/mergeLoraAdapter';
export { adaptableModules, isTargeted, LLAMA_TARGETS, GPT2_TARGETS } from './peft/adaptableModules';

export { exportGguf } from './gguf/exportGguf';

export { buildTestModel, type BuildTestModelOptions } from './testModels/buildTestModel';
export { testModelSpec, type TestModelFamily } from './testModels/testModelSpecs';

export { learningRateAt, type LrSchedule } from './training/learningRateAt';
export { readTrainingRecords, parseTrainingRecords, type TrainingRecord } from './training/readTrainingRecords';
export { tokenizeRecord, type TokenizedRecord } from './training/tokenizeRecord';
export { makeTrainBatch, type TrainBatchArrays } from './training/makeTrainBatch';
export { DataOrder, type DataPosition } from './training/DataOrder';
export { trainLora, adapterFromPeftTensors, type TrainLoraOptions, type TrainLoraResult, type TrainableModel } from './training/trainLora';

export { exportOnnx, type ExportOnnxOptions } from './onnx/exportOnnx';
export { buildOnnxGraph, ONNX_OPSET, type OnnxLoraInputs } from './onnx/buildOnnxGraph';
export { saveTrainingCheckpoint, loadTrainingCheckpoint, type TrainingCheckpoint, type OptimizerStateLike } from './training/trainingCheckpoint';
export { trainFull, type TrainFullOptions, type TrainFullResult, type FullTrainableModel } from './training/trainFull';
export { saveFullTrainingCheckpoint, loadFullTrainingCheckpoint, type FullTrainingCheckpoint } from './training/fullTrainingCheckpoint';
export { writeTrainedModelFolder } from './training/writeTrainedModelFolder';

export { modelSpecialIds, type ModelSpecialIds } from './modelSpecialIds';
export { applyPeftAdapter } from './peft/applyPeftAdapter';
export { nativeEngineInfo, type NativeEngineInfo } from './native/nativeEngineInfo';
export { runTraining, readRunConfig, defaultTargets, TrainingCancelled, FULL_TRAINING_CPU_ONLY, type TrainingRunConfig, type TrainingRunHooks, type TrainingRunSummary } from './training/runTraining';

export { writeGradientStore, type WriteGradientStoreOptions } from './attribution/writeGradientStore';
export { openGradientStore, type GradientStore } from './attribution/openGradientStore';
export { GradientStoreFormatError, type GradientDtype, type GradientStoreHeader } from './attribution/gradientStoreFormat';
export { computeExampleGradientStore, type ComputeExampleGradientStoreOptions, type ExampleGradientStoreResult } from './attribution/computeExampleGradientStore';
