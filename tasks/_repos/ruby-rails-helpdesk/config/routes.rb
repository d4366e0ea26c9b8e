Rails.application.routes.draw do
  get "health" => "health#show"

  resources :customers, only: %i[index show create update destroy]

  resources :tickets, only: %i[index show create update] do
    member do
      post :transition
    end
    resources :comments, only: %i[index create]
  end

  match "*unmatched", to: "application#route_not_found", via: :all
end
