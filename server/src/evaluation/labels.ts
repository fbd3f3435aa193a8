// The class an evaluation records when the model finds no food in an image. It takes part in the confusion matrix
// like any other predicted class, so "found nothing" is visible as its own column instead of vanishing.
export const NO_FOOD = 'none';
